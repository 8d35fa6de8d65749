using System.Text.Json.Nodes;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.Cli;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.SandboxConsole;

/// <summary>
/// A draft rule set run on the tenant's recorded logins, through the admin API and <c>rulesmfa backtest</c>: real logins
/// through the hosted pages and the stock OpenID Connect client record five decisions; a draft that changes four of them
/// (one to MFA, one to a deny, one to a redirect, which this server refuses, one's claims) reports exactly those four, by
/// kind, client and rule, and a secret the
/// deployed rule puts into a claim does not count as a change although the draft sees only its placeholder.
/// </summary>
[NonParallelizable]
public sealed class BacktestTests
{
    private const string Tenant = "backtest";
    private const string Password = "a long enough password";

    private const string Deployed = "function (user, context, callback) {\n" +
        "  context.idToken['https://example.com/tier'] = configuration.TIER;\n  callback(null, user, context);\n}\n";

    private const string Changes = "function (user, context, callback) {\n" +
        "  if (user.email === 'bob@backtest.example') { context.multifactor = { provider: 'any' }; }\n" +
        "  if (user.email === 'cyd@backtest.example') { return callback(new UnauthorizedError('not cyd')); }\n" +
        "  if (user.email === 'dee@backtest.example') { context.redirect = { url: 'https://consent.backtest.example/terms' }; }\n" +
        "  if (context.clientID === 'bt-api') { context.idToken['https://example.com/api'] = true; }\n" +
        "  callback(null, user, context);\n}\n";

    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;
    private TempFolder temp = null!;
    private (string Id, string Secret) cliClient;
    private readonly Dictionary<string, long> recorded = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        temp = new TempFolder();
        await server.AddTenantAsync(Tenant);
        foreach (var email in new[] { "ada@backtest.example", "bob@backtest.example", "cyd@backtest.example", "dee@backtest.example" })
        {
            await server.AddUserAsync(Tenant, email, Password);
        }

        api = await AdminApiClient.CreateAsync(server, Tenant);
        cliClient = CliServerData.CreateMachineClient(server, Tenant, "backtester");
        Assert.That((await api.PutAsync("/configuration/TIER", new { value = "gold-secret-value", secret = true })).Status, Is.EqualTo(204));
        Assert.That((await api.PutAsync("/rules/010-tier", new { source = Deployed })).Status, Is.EqualTo(200));
        await using var web = await RelyingParty.StartAsync(server, Tenant, "bt-web");
        await using var apiClient = await RelyingParty.StartAsync(server, Tenant, "bt-api");
        foreach (var (email, app) in new[] { ("ada", web), ("bob", web), ("dee", web), ("cyd", apiClient), ("ada", apiClient) })
        {
            using var browser = new FormBrowser();
            await LoginFlow.SignInAsync(browser, app, $"{email}@backtest.example", Password);
            recorded[$"{email}/{app.ClientId}"] = (await api.GetAsync("/decisions?limit=1")).Json[0]!["id"]!.GetValue<long>();
        }

        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "draft")).FullName;
        File.WriteAllText(Path.Combine(folder, "010-tier.js"), Deployed);
        File.WriteAllText(Path.Combine(folder, "020-changes.js"), Changes);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
        temp.Dispose();
    }

    [Test]
    public async Task Backtest_DraftChangingFourRecordedLogins_ReportsExactlyThoseByKindClientAndRule()
    {
        var job = await api.BacktestAsync(new { rules = Draft() });

        var result = job["result"]!;
        var changes = result["changes"]!.AsArray().ToDictionary(change => change!["id"]!.GetValue<long>(), change => change!);
        Assert.Multiple(() =>
        {
            Assert.That(job["state"]!.GetValue<string>(), Is.EqualTo("done"), job.ToJsonString());
            Assert.That(job["done"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(result["compared"]!.GetValue<int>(), Is.EqualTo(5));
            Assert.That(result["changed"]!.GetValue<int>(), Is.EqualTo(4));
            Assert.That(changes.Keys, Is.EquivalentTo(new[] { recorded["bob/bt-web"], recorded["dee/bt-web"], recorded["cyd/bt-api"], recorded["ada/bt-api"] }),
                "ada's login on bt-web is unchanged: her tier claim is the secret, shown as (secret TIER) in the log and as its placeholder to the draft");
            Assert.That(Kinds(changes[recorded["bob/bt-web"]]), Is.EqualTo(new[] { "allow → mfa" }));
            Assert.That(changes[recorded["bob/bt-web"]]["userEmail"]!.GetValue<string>(), Is.EqualTo("bob@backtest.example"));
            Assert.That(Kinds(changes[recorded["cyd/bt-api"]])[0], Is.EqualTo("allow → deny"));
            Assert.That(Kinds(changes[recorded["dee/bt-web"]]), Is.EqualTo(new[] { "redirect (refused)" }), "the rules still allow; the redirect refuses the login");
            Assert.That(Kinds(changes[recorded["ada/bt-api"]]), Is.EqualTo(new[] { "claims" }));
            Assert.That(changes.Values.Select(change => change["rules"]!.AsArray().Single()!.GetValue<string>()), Is.All.EqualTo("020-changes"),
                "010-tier is the version the logins ran");
            Assert.That(result["byClient"]!.ToJsonString(), Is.EqualTo("{\"bt-api\":2,\"bt-web\":2}"));
            Assert.That(result["byRule"]!.ToJsonString(), Is.EqualTo("{\"020-changes\":4}"));
            Assert.That(result["byKind"]!["allow → mfa"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(result["byKind"]!["allow → deny"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(job.ToJsonString(), Does.Not.Contain("gold-secret-value"));
        });
    }

    [Test]
    public async Task Backtest_LastTwo_RunsOnTheNewestTwoRecordedLoginsOnly()
    {
        var job = await api.BacktestAsync(new { rules = Draft(), last = 2 });

        var changed = job["result"]!["changes"]!.AsArray().Select(change => change!["id"]!.GetValue<long>());
        Assert.Multiple(() =>
        {
            Assert.That(job["total"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(job["result"]!["compared"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(changed, Is.EquivalentTo(new[] { recorded["cyd/bt-api"], recorded["ada/bt-api"] }));
        });
    }

    [Test]
    public async Task Backtest_BadRequests_NameTheFieldAndStartNothing()
    {
        var noRules = await api.PostAsync("/console/backtest", new { last = 10 });
        var tooMany = await api.PostAsync("/console/backtest", new { rules = Draft(), last = 10_001 });
        var broken = await api.PostAsync("/console/backtest", new { rules = new[] { new { id = "010-broken", source = "function (user, context, callback) {" } } });

        Assert.Multiple(() =>
        {
            Assert.That(noRules.Status, Is.EqualTo(400));
            Assert.That(noRules.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("rules"));
            Assert.That(tooMany.Status, Is.EqualTo(400));
            Assert.That(tooMany.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.StartWith("must be 1 to 10,000"));
            Assert.That(broken.Status, Is.EqualTo(400));
            Assert.That(broken.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("rules[0].source"));
        });
    }

    /// <summary>A null among the draft's rules was checked and named, but then read while listing the enabled rules: a 500 (the error page).</summary>
    [Test]
    public async Task Backtest_NullRuleInTheDraft_Is400NamingItAndStartsNothing()
    {
        var refused = await api.SendRawAsync(HttpMethod.Post, "/console/backtest", """{"rules": [null]}""");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]!.AsArray().Select(error => $"{error!["field"]}: {error["message"]}"),
                Is.EqualTo(new[] { "rules[0].id: each rule needs an id", "rules[0].source: each rule needs its JavaScript source" }));
        });
    }

    [Test]
    public void Cli_MoreChangesThanMaxChanges_ExitsOne_OtherwiseZero()
    {
        var over = Cli("--max-changes", "3");
        var within = Cli("--max-changes", "4");
        var json = Cli("--json");

        Assert.Multiple(() =>
        {
            Assert.That(over.ExitCode, Is.EqualTo(1), over.Output + over.Error);
            Assert.That(over.Error, Does.Contain("rulesmfa: 4 logins decided differently, more than --max-changes 3"));
            Assert.That(within.ExitCode, Is.EqualTo(0), within.Output + within.Error);
            Assert.That(within.Output, Does.StartWith("Compared 5 recorded logins: 4 decided differently (0 skipped"));
            Assert.That(within.Output, Does.Contain("  by client: bt-api 2, bt-web 2"));
            Assert.That(within.Output, Does.Contain("allow → allow [redirect (refused)]"));
            Assert.That(within.Error, Does.Contain("  5 of 5"), "progress on stderr");
            Assert.That(json.ExitCode, Is.EqualTo(0), json.Error);
            Assert.That(JsonNode.Parse(json.Output)!["changed"]!.GetValue<int>(), Is.EqualTo(4));
        });
    }

    [Test]
    public void Cli_NoRulesFolder_IsAUsageErrorBeforeSigningIn()
    {
        var missing = CliRun.Of("backtest", "--rules", Path.Combine(temp.Path, "nowhere"), "--server", server.BaseUrl, "--tenant", Tenant,
            "--client-id", cliClient.Id, "--client-secret", "not-the-secret");

        Assert.Multiple(() =>
        {
            Assert.That(missing.ExitCode, Is.EqualTo(2));
            Assert.That(missing.Error, Does.Contain("rules folder"));
        });
    }

    private CliRun Cli(params string[] extra) => CliRun.Of(["backtest", "--rules", Path.Combine(temp.Path, "draft"), "--server", server.BaseUrl, "--tenant", Tenant,
        "--client-id", cliClient.Id, "--client-secret", cliClient.Secret, .. extra]);

    private static object[] Draft() => [new { id = "010-tier", source = Deployed }, new { id = "020-changes", source = Changes }];

    private static string[] Kinds(JsonNode change) => change["kinds"]!.AsArray().Select(kind => kind!.GetValue<string>()).ToArray();
}
