using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Engine.Compilation;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// What the console takes, against the real server: bodies within the API's limit however they are sent, drafts within
/// the saved rules' limits, and drafts that never grow the parse cache past its bytes.
/// </summary>
[NonParallelizable]
public sealed class ConsoleInputLimitsTests
{
    private const string Tenant = "acme";
    private const long CacheBytes = 16_000_000;
    private const long CacheBytesPerTenant = 8_000_000;

    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        (server, api) = await AdminApiServer.WithTenantAsync(RulesMfaServer.StartAsync(
            "--Sandbox:CompileCacheBytes", $"{CacheBytes}", "--Sandbox:CompileCacheBytesPerTenant", $"{CacheBytesPerTenant}"), Tenant);
    }

    [OneTimeTearDown]
    public Task StopAsync() => AdminApiServer.StopAsync(server, api);

    /// <summary>
    /// The console takes any input, as a login could carry it; but an input whose <c>enrolledFactors</c> held a
    /// non-object, whose <c>request</c> or <c>request.query</c> was not an object, or whose authentication timestamp was
    /// past the last representable date made reading it throw: a 500 (the error page). The rules now run on it as given
    /// (the odd parts read as absent or kept as they are), as for every other oddly typed part.
    /// </summary>
    [TestCase("""{"user": {"enrolledFactors": [3, null, {"type": 5}]}, "context": {}}""", "user")]
    [TestCase("""{"user": {}, "context": {"request": 5}}""", "context")]
    [TestCase("""{"user": {}, "context": {"request": {"query": 5}}}""", "context")]
    [TestCase("""{"user": {}, "context": {"authentication": {"methods": [{"name": "pwd", "timestamp": 1e300}]}}}""", "context")]
    public async Task Evaluate_InputWithOddlyTypedParts_RunsTheRulesOnItAsGiven(string input, string part)
    {
        var body = $$"""
            {"rules": [{"id": "010-rule", "source": "function (user, context, callback) { context.multifactor = true; callback(null, user, context); }"},
                       {"id": "020-action", "source": "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://example.com/t', String(event.authentication.methods.map(m => m.timestamp))); };"}],
             "input": {{input}}}
            """;

        var ran = await api.SendRawAsync(HttpMethod.Post, "/console/evaluate", body);

        Assert.That(ran.Status, Is.EqualTo(200), ran.Text);
        var seen = ran.Json["input"]![part]!.AsObject();
        // The rules' context always has its outputs, whatever the input.
        seen.Remove("idToken");
        seen.Remove("accessToken");
        Assert.Multiple(() =>
        {
            Assert.That(ran.Json["decision"]!["outcome"]!.GetValue<string>(), Is.EqualTo("mfa"), ran.Text);
            Assert.That(seen.ToJsonString(), Is.EqualTo(System.Text.Json.Nodes.JsonNode.Parse(input)![part]!.ToJsonString()), "the rules saw the input as given");
        });
    }

    [Test]
    public async Task Evaluate_ChunkedBodyOverTheLimit_Is413()
    {
        var body = JsonSerializer.Serialize(Run(Draft(0, elements: 1_000_000)));

        var refused = await api.PostChunkedAsync("/console/evaluate", body);

        Assert.Multiple(() =>
        {
            Assert.That(body.Length, Is.GreaterThan(2_000_000));
            Assert.That(refused.Status, Is.EqualTo(413), refused.Text);
            Assert.That(refused.Json["detail"]!.GetValue<string>(), Is.EqualTo("The body holds at most 2,000,000 bytes."));
        });
    }

    [Test]
    public async Task Evaluate_ChunkedBodyWithinTheLimit_Runs()
    {
        var ran = await api.PostChunkedAsync("/console/evaluate", JsonSerializer.Serialize(Run(Draft(1, elements: 10))));

        Assert.That(ran.Status, Is.EqualTo(200), ran.Text);
        Assert.That(ran.Json["decision"]!["outcome"]!.GetValue<string>(), Is.EqualTo("allow"));
    }

    [Test]
    public async Task Evaluate_AnnouncedBodyOverTheLimit_Is413()
    {
        var refused = await api.SendRawAsync(HttpMethod.Post, "/console/evaluate", JsonSerializer.Serialize(Run(Draft(2, elements: 1_000_000))));

        Assert.That(refused.Status, Is.EqualTo(413), refused.Text);
        Assert.That(refused.Json["detail"]!.GetValue<string>(), Is.EqualTo("The body holds at most 2,000,000 bytes."));
    }

    [Test]
    public async Task Evaluate_DraftOfMoreRulesThanATenantHolds_Is400()
    {
        var rules = Enumerable.Range(0, 101).Select(index => Draft(index, elements: 1)).ToArray();

        var refused = await api.PostAsync("/console/evaluate", Run(rules));

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("rules"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("a draft holds at most 100 rules, as a tenant does"));
        });
    }

    [Test]
    public async Task Evaluate_DraftRuleLongerThanASavedRule_Is400()
    {
        var tooLong = Draft(3, elements: 50_001);

        var refused = await api.PostAsync("/console/evaluate", Run(Draft(4, elements: 1), tooLong));

        Assert.Multiple(() =>
        {
            Assert.That(tooLong.Source.Length, Is.GreaterThan(100_000));
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("rules[1].source"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("a rule holds at most 100,000 characters"));
        });
    }

    [Test]
    public async Task Evaluate_ManyDistinctLargeDrafts_KeepTheParseCacheWithinItsBytes()
    {
        var peak = 0L;
        var peakOfTenant = 0L;
        for (var draft = 0; draft < 12; draft++)
        {
            var ran = await api.PostAsync("/console/evaluate", Run(Draft(100 + draft, elements: 45_000)));
            Assert.That(ran.Status, Is.EqualTo(200), ran.Text);
            var (cached, cachedOfTenant) = await server.WithServicesAsync(services =>
            {
                var compiler = services.GetRequiredService<RuleCompiler>();
                return Task.FromResult((compiler.CachedBytes, compiler.For(Tenant).CachedBytesOfOwner));
            });
            (peak, peakOfTenant) = (Math.Max(peak, cached), Math.Max(peakOfTenant, cachedOfTenant));
        }

        Assert.Multiple(() =>
        {
            Assert.That(peak, Is.LessThanOrEqualTo(CacheBytes));
            Assert.That(peakOfTenant, Is.LessThanOrEqualTo(CacheBytesPerTenant));
            Assert.That(peakOfTenant, Is.GreaterThan(0), "drafts are cached, within the tenant's share");
        });
    }

    private static object Run(params Rule[] rules) => new { rules, input = new { user = new { user_id = "u1" }, context = new { } } };

    /// <summary>A distinct rule of about 2 × <paramref name="elements"/> characters that parses into one node per element.</summary>
    private static Rule Draft(int seed, int elements) => new($"draft-{seed}",
        $"function (user, context, callback) {{ var unused = [{seed}{string.Concat(Enumerable.Repeat(",0", elements))}]; callback(null, user, context); }}");

    private sealed record Rule(string Id, string Source);
}
