using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>Nothing one login's rules do is visible to another login or another tenant, concurrent or not.</summary>
public sealed class IsolationTests
{
    private const string Polluter =
        """
        function (user, context, callback) {
          Object.prototype.owner = configuration.TENANT; Array.prototype.includes = () => true; JSON.parse = () => ({ polluted: true });
          Math.random = () => 0; global.leaked = configuration.TENANT;
          callback(null, user, context);
        }
        """;

    private const string Observer =
        """
        function (user, context, callback) {
          context.idToken['https://x/seen'] = [({}).owner ?? null, [].includes(1) === false, JSON.parse('{"a":1}').a === 1,
            global.leaked ?? null, configuration.TENANT];
          callback(null, user, context);
        }
        """;

    [Test]
    public void BuiltinsChangedInOneLogin_AreIntactInTheNext()
    {
        var polluted = Some.Pipeline(new RulePipelineSettings { Configuration = new Dictionary<string, string> { ["TENANT"] = "a" } }, Polluter, Observer);
        var observer = Some.Pipeline(new RulePipelineSettings { Configuration = new Dictionary<string, string> { ["TENANT"] = "b" } }, Observer);

        var pollutedDecision = polluted.Evaluate(Some.Login());
        var nextDecision = observer.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(pollutedDecision.IdTokenClaims["https://x/seen"]!.ToJsonString(), Is.EqualTo("""["a",false,false,"a","a"]"""), "the pollution took effect");
            Assert.That(nextDecision.IdTokenClaims["https://x/seen"]!.ToJsonString(), Is.EqualTo("""[null,true,true,null,"b"]"""));
        });
    }

    [Test]
    public void TwoTenantsConcurrently_EachSeesOnlyItsOwnConfigurationAndState()
    {
        // Isolation is the point, not time: generous limits, so a loaded machine's slow login is not a timeout.
        var tenants = new[] { "acme", "globex" }.Select(tenant => (Tenant: tenant, Pipeline: Some.Pipeline(
            new RulePipelineSettings
            {
                Configuration = new Dictionary<string, string> { ["TENANT"] = tenant },
                Limits = { RuleTimeout = TimeSpan.FromSeconds(10), PipelineTimeout = TimeSpan.FromSeconds(20) },
            }, Polluter, Observer))).ToArray();

        var results = new MfaDecision[400];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, index =>
            results[index] = tenants[index % 2].Pipeline.Evaluate(Some.Login()));

        Assert.Multiple(() =>
        {
            for (var index = 0; index < results.Length; index++)
            {
                var tenant = tenants[index % 2].Tenant;
                var expected = $$"""["{{tenant}}",false,false,"{{tenant}}","{{tenant}}"]""";
                Assert.That(results[index].IdTokenClaims["https://x/seen"]?.ToJsonString(), Is.EqualTo(expected),
                    $"login {index}: {string.Join(", ", results[index].Rules.Select(rule => $"{rule.Id}={rule.Status}"))} {results[index].Error?.Description}");
            }
        });
    }

    [Test]
    public void InputObjects_AreNotChangedByTheRules()
    {
        var login = Some.Login();
        var before = login.User.ToJsonString() + login.Context.ToJsonString();

        Some.Decision(login, "function (user, context, callback) { user.email = 'x'; context.request.ip = '0.0.0.0'; callback(null, user, context); }");

        Assert.That(login.User.ToJsonString() + login.Context.ToJsonString(), Is.EqualTo(before));
    }
}
