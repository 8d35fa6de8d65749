using System.Text.Json.Nodes;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.SandboxConsole;

/// <summary>
/// The decision log searched by user, client, outcome and time, and a recorded login replayed in the console: the draft runs
/// on the login's exact input and clock, and the resolved input (Rules view, Actions event) says why parts are missing.
/// Real logins through the hosted pages and the stock OpenID Connect client record the decisions.
/// </summary>
[NonParallelizable]
public sealed class ReplayTests
{
    private const string Tenant = "replay";
    private const string Password = "a long enough password";
    private const string Allow = "function (user, context, callback) {\n  console.log('clock ' + new Date().toISOString());\n  callback(null, user, context);\n}\n";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private AdminApiClient api = null!;
    private DateTimeOffset beforeLogins;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        await server.AddUserAsync(Tenant, "ada@replay.example", Password);
        await server.AddUserAsync(Tenant, "bob@replay.example", Password);
        app = await RelyingParty.StartAsync(server, Tenant, "replay-web");
        api = await AdminApiClient.CreateAsync(server, Tenant);
        Assert.That((await api.PutAsync("/rules/010-allow", new { source = Allow })).Status, Is.EqualTo(200));
        beforeLogins = DateTimeOffset.UtcNow;
        foreach (var email in new[] { "ada@replay.example", "bob@replay.example" })
        {
            using var browser = new FormBrowser();
            await LoginFlow.SignInAsync(browser, app, email, Password);
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task DecisionLog_FilteredByUserClientOutcomeAndTime_ListsExactlyTheMatchingLogins()
    {
        var ada = await api.GetAsync("/decisions?user=ada@");
        var byClient = await api.GetAsync($"/decisions?client={app.ClientId}&outcome=allow");
        var denied = await api.GetAsync("/decisions?outcome=deny");
        var otherClient = await api.GetAsync("/decisions?client=someone-else");
        var later = await api.GetAsync($"/decisions?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}");
        var inWindow = await api.GetAsync($"/decisions?from={Uri.EscapeDataString(beforeLogins.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}");
        var badOutcome = await api.GetAsync("/decisions?outcome=maybe");

        Assert.Multiple(() =>
        {
            Assert.That(ada.Json.AsArray().Select(login => login!["userEmail"]!.GetValue<string>()), Is.EqualTo(new[] { "ada@replay.example" }));
            Assert.That(ada.Json[0]!["outcome"]!.GetValue<string>(), Is.EqualTo("allow"));
            Assert.That(byClient.Json.AsArray(), Has.Count.EqualTo(2));
            Assert.That(denied.Json.AsArray(), Is.Empty);
            Assert.That(otherClient.Json.AsArray(), Is.Empty);
            Assert.That(later.Json.AsArray(), Is.Empty);
            Assert.That(inWindow.Json.AsArray(), Has.Count.EqualTo(2));
            Assert.That(badOutcome.Status, Is.EqualTo(400));
            Assert.That(badOutcome.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("outcome"));
        });
    }

    /// <summary>
    /// A time or limit the framework could not bind (<c>from=yesterday</c>, <c>limit=abc</c>) was a bare 400 answered by
    /// the HTML error page, naming nothing; each is now a problem naming the parameter, as the audit log's are.
    /// </summary>
    [TestCase("from=yesterday", "from", "not a time")]
    [TestCase("to=2026-13-45", "to", "not a time")]
    [TestCase("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to", "must not be before 'from'")]
    [TestCase("limit=abc", "limit", "from 1 to 200")]
    [TestCase("limit=99999999999", "limit", "from 1 to 200")]
    [TestCase("limit=0", "limit", "from 1 to 200")]
    public async Task DecisionLog_BadFilter_IsRefusedNamingTheParameter(string query, string field, string message)
    {
        var refused = await api.GetAsync($"/decisions?{query}");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.Contain(message));
        });
    }

    [Test]
    public async Task Replay_RecordedLogin_RunsTheDraftOnItsExactInputAndClock()
    {
        var recorded = (await api.GetAsync("/decisions?user=bob@")).Json[0]!;
        var id = recorded["id"]!.GetValue<long>();
        var deny = "function (user, context, callback) {\n  if (user.email === 'bob@replay.example') { return callback(new UnauthorizedError('not today')); }\n  callback(null, user, context);\n}\n";

        var replayed = await api.PostAsync("/console/evaluate", new { replay = id, rules = new[] { new { id = "010-allow", source = Allow }, new { id = "020-deny-bob", source = deny } } });
        var unknown = await api.PostAsync("/console/evaluate", new { replay = 999_999 });

        var result = replayed.Json;
        var hints = result["resolved"]!["hints"]!.AsArray().ToDictionary(hint => hint!["path"]!.GetValue<string>(), hint => hint!["message"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(replayed.Status, Is.EqualTo(200), replayed.Text);
            Assert.That(result["decision"]!["outcome"]!.GetValue<string>(), Is.EqualTo("deny"));
            Assert.That(result["recorded"]!["outcome"]!.GetValue<string>(), Is.EqualTo("allow"));
            Assert.That(result["recorded"]!["id"]!.GetValue<long>(), Is.EqualTo(id));
            Assert.That(JsonNode.DeepEquals(result["input"], recorded["input"]), Is.True, "the draft saw exactly the recorded input");
            Assert.That(result["decision"]!["logs"]![0]!["message"]!.GetValue<string>(),
                Is.EqualTo("clock " + recorded["at"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'")), "on the login's own clock");
            Assert.That(result["resolved"]!["event"]!["user"]!["email"]!.GetValue<string>(), Is.EqualTo("bob@replay.example"));
            Assert.That(result["resolved"]!["event"]!["client"]!["client_id"]!.GetValue<string>(), Is.EqualTo(app.ClientId));
            Assert.That(hints["context.riskAssessment"], Does.StartWith("undefined: RulesMfa computes no risk assessment"));
            Assert.That(unknown.Status, Is.EqualTo(400));
            Assert.That(unknown.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("replay"));
        });
    }

    [Test]
    public async Task ResolvedInput_RealUserWithoutGeoIpDatabase_SaysWhyGeoipIsEmpty()
    {
        var user = await server.GetUserAsync(Tenant, "ada@replay.example");

        var run = await api.PostAsync("/console/evaluate", new { login = new { userId = user.Id, ip = "81.2.69.142", clientId = app.ClientId } });

        var hints = run.Json["resolved"]!["hints"]!.AsArray().ToDictionary(hint => hint!["path"]!.GetValue<string>(), hint => hint!["message"]!.GetValue<string>());
        Assert.Multiple(() =>
        {
            Assert.That(hints["context.request.geoip"], Does.Contain("this server has no GeoIP database (set GeoIp:DatabasePath"));
            Assert.That(run.Json["resolved"]!["rulesView"]!["context"]!["request"]!["geoip"]!.AsObject(), Is.Empty);
            Assert.That(run.Json["resolved"]!["event"]!["request"]!["ip"]!.GetValue<string>(), Is.EqualTo("81.2.69.142"));
        });
    }
}
