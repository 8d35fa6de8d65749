using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary><c>rulesmfa deploy</c> against the real server: tests first, then each rule with its tests through the admin API.</summary>
[NonParallelizable]
public sealed class DeployCommandTests
{
    private const string Allow = "function (user, context, callback) { callback(null, user, context); }";

    private RulesMfaServer server = null!;
    private TempFolder temp = null!;
    private (string Id, string Secret) client;

    [SetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        temp = new TempFolder();
        client = CliServerData.CreateMachineClient(server, DemoTenantSeeder.TenantId, "deployer");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await server.DisposeAsync();
        temp.Dispose();
    }

    private CliRun Deploy(string folder, params string[] extra) =>
        CliRun.Of(["deploy", folder, "--server", server.BaseUrl, "--tenant", "demo", "--client-id", client.Id, "--client-secret", client.Secret, .. extra]);

    [Test]
    public async Task Deploy_Samples_ALaterLoginFollowsTheDeployedRules()
    {
        var environment = new Dictionary<string, string> { ["RULESMFA_CLIENT_ID"] = client.Id, ["RULESMFA_CLIENT_SECRET"] = client.Secret };

        var run = await CliProcess.RunAsync(environment, "deploy", RepositoryPaths.Samples, "--server", server.BaseUrl, "--tenant", "demo");

        var rules = await CliServerData.RulesAsync(server, "demo");
        await using var app = await RelyingParty.StartAsync(server, DemoTenantSeeder.TenantId, "deployed-web");
        using var browser = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(browser, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword);
        Assert.That(enrollment.Url.AbsolutePath, Is.EqualTo("/demo/mfa/enroll"), enrollment.Html);
        var recoveryPage = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        var continueLink = recoveryPage.Document.GetElementById("continue")?.GetAttribute("href");
        Assert.That(continueLink, Is.Not.Null, $"expected the recovery code page, got {recoveryPage.Url}:\n{recoveryPage.Html}");
        await browser.GetAsync(new Uri(recoveryPage.Url, continueLink!).ToString());
        var me = await LoginFlow.MeAsync(browser, app);
        var accessToken = JwtPayload(me.GetProperty("accessToken").GetString()!);
        var samples = Directory.GetFiles(RepositoryPaths.Samples, "*.js").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output + run.Error);
            Assert.That(run.Output, Does.Contain("0 failed"), "the folder's tests ran first");
            Assert.That(run.Output, Does.Contain("  010-deny-blocklisted-ips  created (version 1)"));
            Assert.That(run.Output, Does.Contain("  020-deny-unverified-email  updated (version 2; order 20)"), "the seeded rule gets its tests: a new version");
            Assert.That(run.Output, Does.Contain($"Deployed {samples.Count} rules to tenant 'demo'"));
            Assert.That(run.Output + run.Error, Does.Not.Contain(client.Secret));
            Assert.That(rules.Select(rule => rule.RuleId), Is.EqualTo(samples));
            Assert.That(rules.Select(rule => rule.Order), Is.EqualTo(samples.Select((_, index) => (index + 1) * 10)));
            Assert.That(rules.All(rule => rule.Enabled && rule.TestsJson is not null), Is.True);
            Assert.That(accessToken["https://rulesmfa.example/roles"]?.ToJsonString(), Is.EqualTo("[\"admin\"]"), "130-role-claims, deployed, puts the roles in the tokens, as an array");
            Assert.That(accessToken["https://rulesmfa.example/email"]?.GetValue<string>(), Is.EqualTo(DemoTenantSeeder.UserEmail));
            Assert.That(me.GetProperty("idToken").GetProperty("https://rulesmfa.example/roles").GetRawText(), Does.Contain("admin"));
        });
    }

    private static System.Text.Json.Nodes.JsonObject JwtPayload(string jwt) =>
        System.Text.Json.Nodes.JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]))!.AsObject();

    [Test]
    public void Deploy_SameFolderTwice_ReportsEveryRuleUnchanged()
    {
        temp.Write("rules/a-allow.js", Allow);
        temp.Write("rules/a-allow.test.json", """{"cases": [{"name": "allows", "user": {}, "context": {}, "expect": {"outcome": "allow"}}]}""");
        Assert.That(Deploy(Path.Combine(temp.Path, "rules")).ExitCode, Is.EqualTo(0));

        var again = Deploy(Path.Combine(temp.Path, "rules"));

        Assert.Multiple(() =>
        {
            Assert.That(again.ExitCode, Is.EqualTo(0), again.Error);
            Assert.That(again.Output, Does.Contain("  a-allow  unchanged (version 1)"));
        });
    }

    [Test]
    public async Task Deploy_FailingTestCase_IsRefusedWithTheFailureAndChangesNothing()
    {
        var before = await CliServerData.RulesAsync(server, "demo");
        temp.Write("rules/010-mfa.js", "function (user, context, callback) { context.multifactor = true; callback(null, user, context); }");
        temp.Write("rules/010-mfa.test.json", """{"cases": [{"name": "wrongly expects allow", "user": {}, "context": {}, "expect": {"outcome": "allow"}}]}""");

        var run = Deploy(Path.Combine(temp.Path, "rules"));

        var after = await CliServerData.RulesAsync(server, "demo");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Output, Does.Contain("  FAIL  wrongly expects allow").And.Contain("""outcome: expected "allow", got "mfa" """.TrimEnd()));
            Assert.That(run.Error, Does.Contain("deploy refused: test cases failed (above); nothing was uploaded"));
            Assert.That(after.Select(rule => (rule.RuleId, rule.Version, rule.Enabled)), Is.EqualTo(before.Select(rule => (rule.RuleId, rule.Version, rule.Enabled))));
        });
    }

    [Test]
    public async Task Deploy_CasesThatFailWithTheTenantsConfiguration_AreRefusedByTheServer()
    {
        await server.WithServicesAsync(services =>
            services.GetRequiredService<TenantConfiguration>().SetAsync("demo", "BLOCK", "yes", secret: false, Actor.Cli(), CancellationToken.None));
        temp.Write("rules/000-first.js", Allow);
        temp.Write("rules/010-blocked.js", "function (user, context, callback) { if (configuration.BLOCK === 'yes') return callback(new UnauthorizedError('blocked')); callback(null, user, context); }");
        temp.Write("rules/010-blocked.test.json", """{"cases": [{"name": "allows when nothing is blocked", "user": {}, "context": {}, "expect": {"outcome": "allow"}}]}""");

        var run = Deploy(Path.Combine(temp.Path, "rules"));

        var rules = await CliServerData.RulesAsync(server, "demo");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Error, Does.Contain("010-blocked.js: the server refused the rule: 1 of 1 test cases failed"));
            Assert.That(run.Error, Does.Contain("  FAIL  allows when nothing is blocked"));
            Assert.That(run.Error, Does.Contain("deploy stopped; already saved: 000-first"));
            Assert.That(rules.Select(rule => rule.RuleId), Does.Not.Contain("010-blocked"));
        });
    }

    [Test]
    public async Task Deploy_RuleWithSyntaxError_PrintsFileLineColumnAndUploadsNothing()
    {
        temp.Write("rules/010-ok.js", Allow);
        var broken = temp.Write("rules/020-broken.js", "function (user, context, callback) {\n  if (user.email {\n  }\n}");

        var run = Deploy(Path.Combine(temp.Path, "rules"));

        var rules = await CliServerData.RulesAsync(server, "demo");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Error, Does.StartWith($"{broken}:2:18: Unexpected token '{{'"));
            Assert.That(run.Error, Does.Contain("nothing was uploaded"));
            Assert.That(rules.Select(rule => rule.RuleId), Does.Not.Contain("010-ok"));
        });
    }

    [Test]
    public void Deploy_RuleTheServerRefusesAsInvalid_NamesTheFileAndField()
    {
        var draft = temp.Write("rules/_draft.js", Allow);

        var run = Deploy(Path.Combine(temp.Path, "rules"));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Error, Does.Contain($"{draft}: id: use 1 to 64 letters, digits"));
            Assert.That(run.Error, Does.Contain("deploy stopped; nothing was changed on the server"));
        });
    }

    [Test]
    public async Task Deploy_RulesNotInTheFolder_AreLeftAloneUnlessPruneDisablesThem()
    {
        temp.Write("rules/500-allow.js", Allow);

        var leave = Deploy(Path.Combine(temp.Path, "rules"));
        var afterLeave = await CliServerData.RulesAsync(server, "demo");
        var prune = Deploy(Path.Combine(temp.Path, "rules"), "--prune");
        var afterPrune = await CliServerData.RulesAsync(server, "demo");
        temp.Write("rules/070-mfa-for-admins.js", File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "070-mfa-for-admins.js")));
        var back = Deploy(Path.Combine(temp.Path, "rules"));

        Assert.Multiple(() =>
        {
            Assert.That(leave.Output, Does.Contain("  070-mfa-for-admins  left alone: not in the folder, still enabled (--prune disables it)"));
            Assert.That(afterLeave.Where(rule => rule.RuleId != "500-allow").All(rule => rule.Enabled), Is.True);
            Assert.That(prune.ExitCode, Is.EqualTo(0), prune.Error);
            Assert.That(prune.Output, Does.Contain("  070-mfa-for-admins  disabled (not in the folder)"));
            Assert.That(afterPrune.Select(rule => (rule.RuleId, rule.Enabled)), Is.EquivalentTo(new[]
            {
                ("020-deny-unverified-email", false), ("070-mfa-for-admins", false), ("500-allow", true),
            }));
            Assert.That(back.Output, Does.Contain("  070-mfa-for-admins  updated (version 2; enabled again; order 10)  [no test file: stored with no test cases]"));
            Assert.That(back.Output, Does.Contain("  020-deny-unverified-email  not in the folder, already disabled"));
        });
    }

    [Test]
    public void Deploy_WithoutCredentialsOrWithAWrongSecret_SaysWhyWithoutTheSecret()
    {
        temp.Write("rules/a.js", Allow);
        var folder = Path.Combine(temp.Path, "rules");

        var missing = CliRun.Of("deploy", folder, "--server", server.BaseUrl, "--tenant", "demo");
        var wrong = CliRun.Of("deploy", folder, "--server", server.BaseUrl, "--tenant", "demo", "--client-id", client.Id, "--client-secret", "not-the-secret");
        var noFolder = Deploy(Path.Combine(temp.Path, "nope"));

        Assert.Multiple(() =>
        {
            Assert.That(missing.ExitCode, Is.EqualTo(2));
            Assert.That(missing.Error, Does.Contain("RULESMFA_CLIENT_ID and RULESMFA_CLIENT_SECRET"));
            Assert.That(wrong.ExitCode, Is.EqualTo(1));
            Assert.That(wrong.Error, Does.Contain("refused client 'deployer'").And.Contain("invalid_client"));
            Assert.That(wrong.Output + wrong.Error, Does.Not.Contain("not-the-secret"));
            Assert.That(noFolder.ExitCode, Is.EqualTo(2));
            Assert.That(noFolder.Error, Does.Contain("nope' does not exist"));
        });
    }

    [Test]
    public void Deploy_WrongSecretOrNoServer_IsFoundBeforeAnyLocalTestRuns()
    {
        temp.Write("rules/a.js", Allow);
        temp.Write("rules/a.test.json", """{"cases": [{"name": "allows", "user": {}, "context": {}, "expect": {"outcome": "allow"}}]}""");
        var folder = Path.Combine(temp.Path, "rules");
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var nobody = $"http://127.0.0.1:{((System.Net.IPEndPoint)closed.LocalEndpoint).Port}";
        closed.Stop();

        var wrong = CliRun.Of("deploy", folder, "--server", server.BaseUrl, "--tenant", "demo", "--client-id", client.Id, "--client-secret", "not-the-secret");
        var unreachable = CliRun.Of("deploy", folder, "--server", nobody, "--tenant", "demo", "--client-id", client.Id, "--client-secret", client.Secret);
        var right = Deploy(folder);

        Assert.Multiple(() =>
        {
            Assert.That(wrong.ExitCode, Is.EqualTo(1));
            Assert.That(wrong.Error, Does.Contain("refused client 'deployer'"));
            Assert.That(wrong.Output, Does.Not.Contain("Testing").And.Not.Contain("allows"), "the credentials are checked before the local tests");
            Assert.That(unreachable.ExitCode, Is.EqualTo(1));
            Assert.That(unreachable.Error, Does.Contain($"cannot reach {nobody}"));
            Assert.That(unreachable.Output, Does.Not.Contain("Testing"));
            Assert.That(right.ExitCode, Is.EqualTo(0), right.Error);
            Assert.That(right.Output, Does.StartWith("Signed in to tenant 'demo'").And.Contain("Testing").And.Contain("pass  allows"));
        });
    }
}
