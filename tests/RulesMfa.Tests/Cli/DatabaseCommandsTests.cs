using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary><c>tenant create</c>, <c>admin create</c>, <c>client create</c> and <c>rule disable|enable</c> work on the running server's database, audited.</summary>
[NonParallelizable]
public sealed partial class DatabaseCommandsTests
{
    private const string DenyEveryLogin = "function (user, context, callback) { callback(new UnauthorizedError('Nobody gets in.')); }";

    private RulesMfaServer server = null!;
    private TempFolder temp = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        temp = new TempFolder();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await server.DisposeAsync();
        temp.Dispose();
    }

    private CliRun Cli(params string[] args) => CliRun.Of([.. args, "--data-folder", server.DataFolder]);

    [Test]
    public async Task TenantCreate_NewName_ServesTheTenantWithDefaultSettingsAndAuditsIt()
    {
        var run = Cli("tenant", "create", "initech", "--display-name", "Initech");

        using var http = new HttpClient();
        var discovery = await http.GetAsync($"{server.Issuer("initech")}/.well-known/openid-configuration");
        var tenant = await server.WithServicesAsync(services =>
            services.GetRequiredService<RulesMfaDbContext>().Tenants.AsNoTracking().SingleAsync(record => record.Id == "initech"));
        var audit = await CliServerData.AuditAsync(server, "initech");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            Assert.That(run.Output, Does.StartWith($"Database in {Path.GetFullPath(server.DataFolder)}.{Environment.NewLine}"), "which database it used");
            Assert.That(run.Output, Does.Contain("Created tenant 'initech'"));
            Assert.That((int)discovery.StatusCode, Is.EqualTo(200));
            Assert.That(tenant.DisplayName, Is.EqualTo("Initech"));
            Assert.That(tenant.SettingsJson, Is.EqualTo(new TenantSettings().ToJson()));
            Assert.That(audit.Select(record => (record.Action, record.Target)), Is.EqualTo(new[] { ("tenant.created", "initech") }));
            Assert.That(audit[0].Actor, Does.StartWith("cli:"));
        });
    }

    [TestCase("demo", "already exists")]
    [TestCase("Upper", "is not valid")]
    [TestCase("under_score", "is not valid")]
    [TestCase("-dash", "is not valid")]
    [TestCase("health", "is reserved")]
    public async Task TenantCreate_ExistingOrInvalidName_SaysWhyAndExitsTwo(string name, string expected)
    {
        var tenantsBefore = await TenantCountAsync();

        var run = Cli("tenant", "create", name);

        var tenantsAfter = await TenantCountAsync();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain($"tenant name '{name}' {expected}").Or.Contain($"tenant '{name}' {expected}"));
            Assert.That(tenantsAfter, Is.EqualTo(tenantsBefore));
        });
    }

    [Test]
    public async Task AdminCreate_WithoutPassword_PrintsAGeneratedOneOnceThatSignsIn()
    {
        Assert.That(Cli("tenant", "create", "umbrella").ExitCode, Is.EqualTo(0));

        var run = Cli("admin", "create", "--tenant", "umbrella", "--email", "Root@Umbrella.example");

        var password = GeneratedPassword().Match(run.Output).Groups[1].Value;
        var user = await server.GetUserAsync("umbrella", "root@umbrella.example");
        await using var app = await RelyingParty.StartAsync(server, "umbrella", "umbrella-web");
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, app, "root@umbrella.example", password);
        var me = await LoginFlow.MeAsync(browser, app);
        var audit = await CliServerData.AuditAsync(server, "umbrella");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            Assert.That(password, Has.Length.GreaterThanOrEqualTo(20));
            Assert.That(Regex.Matches(run.Output, Regex.Escape(password)), Has.Count.EqualTo(1), "the password is printed once");
            Assert.That(user.IsAdmin, Is.True);
            Assert.That(user.PasswordHash, Does.Not.Contain(password));
            Assert.That(me.GetProperty("idToken").GetProperty("sub").GetString(), Is.EqualTo(user.Id), "the generated password signs in");
            Assert.That(audit.Select(record => (record.Action, record.Target)), Does.Contain(("admin.created", user.Id)));
            Assert.That(string.Join("\n", audit.Select(record => record.Detail)), Does.Not.Contain(password));
        });
    }

    [Test]
    public async Task AdminCreate_ExistingUserWithPasswordFile_GrantsAdminSetsThePasswordAndNeverPrintsIt()
    {
        await server.AddUserAsync(DemoTenantSeeder.TenantId, "lost@example.com", "the forgotten password");
        var file = temp.Write("password.txt", "a brand new password\n");

        var run = Cli("admin", "create", "--tenant", "demo", "--email", "lost@example.com", "--password-file", file);

        var user = await server.GetUserAsync("demo", "lost@example.com");
        var audit = await CliServerData.AuditAsync(server, "demo");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            Assert.That(run.Output + run.Error, Does.Not.Contain("a brand new password"));
            Assert.That(run.Output, Does.Not.Contain("Generated password"));
            Assert.That(user.IsAdmin, Is.True);
            Assert.That(new PasswordHasher<UserRecord>().VerifyHashedPassword(user, user.PasswordHash, "a brand new password"), Is.Not.EqualTo(PasswordVerificationResult.Failed));
            Assert.That(audit.Where(record => record.Target == user.Id).Select(record => record.Action), Is.EqualTo(new[] { "admin.granted", "admin.password-set" }));
        });
    }

    [Test]
    public async Task AdminCreate_Prompt_ReadsThePasswordFromTheRealProcessInputWithoutEchoingIt()
    {
        var run = await CliProcess.RunWithInputAsync(new Dictionary<string, string>(), "a typed-in password\n",
            "admin", "create", "--tenant", "demo", "--email", "typed@example.com", "--prompt", "--data-folder", server.DataFolder);

        var user = await server.GetUserAsync("demo", "typed@example.com");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            Assert.That(run.Error, Does.Contain("Password (not shown): "));
            Assert.That(run.Output + run.Error, Does.Not.Contain("a typed-in password"));
            Assert.That(user.IsAdmin, Is.True);
            Assert.That(new PasswordHasher<UserRecord>().VerifyHashedPassword(user, user.PasswordHash, "a typed-in password"), Is.Not.EqualTo(PasswordVerificationResult.Failed));
        });
    }

    [Test]
    public void AdminCreate_ShortPasswordOrUnknownTenant_SaysWhyAndExitsTwo()
    {
        var shortFile = temp.Write("short.txt", "short");

        var tooShort = Cli("admin", "create", "--tenant", "demo", "--email", "x@example.com", "--password-file", shortFile);
        var noTenant = Cli("admin", "create", "--tenant", "nowhere", "--email", "x@example.com");

        Assert.Multiple(() =>
        {
            Assert.That(tooShort.ExitCode, Is.EqualTo(2));
            Assert.That(tooShort.Error, Does.Contain("the password must have 12 to 1024 characters"));
            Assert.That(noTenant.ExitCode, Is.EqualTo(2));
            Assert.That(noTenant.Error, Does.Contain("no tenant 'nowhere'"));
        });
    }

    [Test]
    public async Task ClientCreate_NewName_GetsAnAdminTokenForItsTenantOnly()
    {
        var (clientId, secret) = CliServerData.CreateMachineClient(server, "demo", "ci-deploy");

        using var http = new HttpClient();
        var token = await http.PostAsync($"{server.Issuer("demo")}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = "rulesmfa.admin",
        }));
        var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        using var rulesRequest = new HttpRequestMessage(HttpMethod.Get, $"{server.Issuer("demo")}/api/v1/rules") { Headers = { { "Authorization", $"Bearer {accessToken}" } } };
        var rules = await http.SendAsync(rulesRequest);
        var again = Cli("client", "create", "--tenant", "demo", "--name", "ci-deploy");
        var audit = await CliServerData.AuditAsync(server, "demo");
        Assert.Multiple(() =>
        {
            Assert.That((int)token.StatusCode, Is.EqualTo(200));
            Assert.That((int)rules.StatusCode, Is.EqualTo(200));
            Assert.That(again.ExitCode, Is.EqualTo(2));
            Assert.That(again.Error, Does.Contain("a client 'ci-deploy' already exists"));
            Assert.That(audit.Select(record => (record.Action, record.Target)), Does.Contain(("client.created", "ci-deploy")));
        });
    }

    [Test]
    public async Task RuleDisable_RuleThatDeniesEveryLogin_LetsTheAdminSignInAgain()
    {
        await server.AddTenantAsync("lockedout");
        await server.AddUserAsync("lockedout", "admin@lockedout.example", "the admin's password");
        await server.SetRulesAsync("lockedout", ("010-deny-all", DenyEveryLogin));
        await using var app = await RelyingParty.StartAsync(server, "lockedout", "lockedout-web");
        using var before = new FormBrowser();
        var denied = await LoginFlow.SignInAsync(before, app, "admin@lockedout.example", "the admin's password");
        Assert.That(denied.Text("error-description"), Is.EqualTo("Nobody gets in."), denied.Html);

        var run = Cli("rule", "disable", "--tenant", "lockedout", "--rule", "010-deny-all");

        using var after = new FormBrowser();
        await LoginFlow.SignInAsync(after, app, "admin@lockedout.example", "the admin's password");
        var me = await LoginFlow.MeAsync(after, app);
        var audit = await CliServerData.AuditAsync(server, "lockedout");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            Assert.That(run.Output, Does.Contain("Rule '010-deny-all' of tenant 'lockedout' is disabled"));
            Assert.That(run.Output, Does.Contain("Audit \"rule.disabled\""));
            Assert.That(LoginFlow.Amr(me), Is.EqualTo(new[] { "pwd" }));
            Assert.That(audit.Select(record => (record.Action, record.Target)), Is.EqualTo(new[] { ("rule.disabled", "010-deny-all") }));
            Assert.That(audit.Single().Actor, Does.StartWith("cli:"));
        });
    }

    [Test]
    public async Task RuleEnable_DisabledRule_RunsAgainAndUnknownRuleExitsTwo()
    {
        await server.AddTenantAsync("toggled");
        await server.SetRulesAsync("toggled", ("gate", DenyEveryLogin));
        Assert.That(Cli("rule", "disable", "--tenant", "toggled", "--rule", "gate").ExitCode, Is.EqualTo(0));

        var enable = Cli("rule", "enable", "--tenant", "toggled", "--rule", "gate");
        var again = Cli("rule", "enable", "--tenant", "toggled", "--rule", "gate");
        var unknown = Cli("rule", "disable", "--tenant", "toggled", "--rule", "nope");

        var rules = await CliServerData.RulesAsync(server, "toggled");
        var audit = await CliServerData.AuditAsync(server, "toggled");
        Assert.Multiple(() =>
        {
            Assert.That(enable.ExitCode, Is.EqualTo(0), enable.Error);
            Assert.That(rules.Single().Enabled, Is.True);
            Assert.That(again.Output, Does.Contain("was already enabled; nothing changed"));
            Assert.That(audit.Select(record => record.Action), Is.EqualTo(new[] { "rule.disabled", "rule.enabled" }));
            Assert.That(unknown.ExitCode, Is.EqualTo(2));
            Assert.That(unknown.Error, Does.Contain("no rule 'nope' in tenant 'toggled'"));
        });
    }

    private Task<int> TenantCountAsync() => server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().Tenants.CountAsync());

    [GeneratedRegex(@"Generated password \(shown only now; store it safely\): (\S+)")]
    private static partial Regex GeneratedPassword();
}
