using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>LoginGlobals</c>): the <c>configuration</c> global is frozen in every way a rule
/// could test or use: each setting enumerable (so <c>Object.keys</c> lists them), neither writable nor configurable
/// (so no redefinition), and the object not extensible.
/// </summary>
public sealed class MutationConfigurationTests
{
    private const string Claim = "https://x/seen";

    [Test]
    public void Configuration_IsFrozenWithItsSettingsEnumerable()
    {
        var decision = Some.Decision(Some.Login(),
            new RulePipelineSettings { Configuration = new Dictionary<string, string> { ["TRUSTED"] = "10.0.0.0/8", ["API_KEY"] = "k-123" } },
            $$"""
            function (user, context, callback) {
              let redefined;
              try { Object.defineProperty(configuration, 'API_KEY', { get: () => 'forged' }); redefined = 'redefined'; } catch (e) { redefined = e.name; }
              context.idToken['{{Claim}}'] = [Object.keys(configuration).join(), Object.isFrozen(configuration), Object.isExtensible(configuration),
                JSON.stringify(Object.getOwnPropertyDescriptor(configuration, 'API_KEY')), redefined, configuration.API_KEY].join(' | ');
              callback(null, user, context);
            }
            """);

        Assert.That(decision.IdTokenClaims[Claim]?.ToString(), Is.EqualTo(
            """TRUSTED,API_KEY | true | false | {"value":"k-123","writable":false,"enumerable":true,"configurable":false} | TypeError | k-123"""));
    }
}
