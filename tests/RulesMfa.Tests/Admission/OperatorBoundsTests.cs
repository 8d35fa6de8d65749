using System.Text.Json.Nodes;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admission;

/// <summary>
/// The operator's bounds on what tenants may spend, against the real server: the console's time budget per tenant, and
/// the maximums of the sandbox limits, both when settings are saved and for settings stored before a maximum was lowered.
/// </summary>
[NonParallelizable]
public sealed class OperatorBoundsTests
{
    private const string Password = "a long enough password";
    // Each turn scans 100,000 characters, so the time limits, not the statement limits, stop it however fast the engine is.
    private const string Spin = "function (user, context, callback) { const s = 'a'.repeat(100000); while (true) { s.indexOf('b'); } }";

    private RulesMfaServer server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        server = await RulesMfaServer.StartAsync("--Sandbox:ConsoleTimePerMinute", "00:00:00.2", "--Sandbox:Maximums:RuleTimeout", "00:00:00.3");

    [OneTimeTearDown]
    public async Task StopAsync() => await server.DisposeAsync();

    [Test]
    public async Task ConsoleRuns_PastTheTenantsTimeBudget_Are429UntilTheMinuteEnds_AndSoAreRuleTestRuns()
    {
        // Enough statements that the 250 ms time limit is what stops the spin, however fast the machine.
        await server.AddTenantAsync("budget", new TenantSettings { Limits = new SandboxLimits { MaxStatements = 10_000_000 } });
        using var api = await AdminApiClient.CreateAsync(server, "budget");

        var first = await api.PostAsync("/console/evaluate", SpinRun());
        var second = await api.PostAsync("/console/evaluate", SpinRun());
        var testRun = await api.PutAsync("/rules/spin", new { source = Spin, tests = new { cases = new[] { new { name = "spins", expect = new { outcome = "deny" } } } } });

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(200), first.Text);
            Assert.That(first.Json["decision"]!["error"]!["description"]!.GetValue<string>(), Is.EqualTo("Rule 'spin' ran longer than its time limit of 250 ms."));
            foreach (var refused in new[] { second, testRun })
            {
                Assert.That(refused.Status, Is.EqualTo(429), refused.Text);
                Assert.That(refused.Json["detail"]!.GetValue<string>(), Is.EqualTo("This tenant's console runs used their 0.2 s of evaluation time for this minute."));
                Assert.That(refused.RetryAfter, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)));
            }
        });
    }

    [Test]
    public async Task PutSettings_LimitAboveTheServersMaximum_Is400NamingTheFieldAndTheMaximum_AndNothingIsSaved()
    {
        await server.AddTenantAsync("greedy");
        using var api = await AdminApiClient.CreateAsync(server, "greedy");
        var settings = (await api.GetAsync("/settings")).Json.DeepClone().AsObject();
        settings["limits"]!["ruleTimeout"] = "00:00:30";
        settings["rememberBrowserDays"] = 7;

        var refused = await api.PutAsync("/settings", settings);
        var after = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("limits.ruleTimeout"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("must be at most 00:00:00.3000000, this server's maximum"));
            Assert.That(after.Json["rememberBrowserDays"]!.GetValue<int>(), Is.EqualTo(30), "nothing of the refused settings was saved");
        });
    }

    [Test]
    public async Task StoredLimitAboveALoweredMaximum_RunsAtTheMaximum_InLoginsConsoleAndSettings()
    {
        // Stored when the server allowed it; the operator has since lowered the maximum to 300 ms.
        await server.AddTenantAsync("legacy", new TenantSettings
        {
            Limits = new SandboxLimits { RuleTimeout = TimeSpan.FromSeconds(30), PipelineTimeout = TimeSpan.FromSeconds(60), MaxStatements = 100_000_000 },
        });
        await server.AddUserAsync("legacy", "ada@legacy.example", Password);
        await server.SetRulesAsync("legacy", ("spin", Spin));
        await using var app = await RelyingParty.StartAsync(server, "legacy", "legacy-web");
        using var api = await AdminApiClient.CreateAsync(server, "legacy");
        using var browser = new FormBrowser();

        var login = await LoginFlow.SignInAsync(browser, app, "ada@legacy.example", Password);
        var console = await api.PostAsync("/console/evaluate", new { input = new { user = new { }, context = new { } } });
        var settings = await api.GetAsync("/settings");

        const string Stopped = "Rule 'spin' ran longer than its time limit of 300 ms.";
        Assert.Multiple(() =>
        {
            Assert.That(login.Text("error"), Is.EqualTo("access_denied"), login.Html);
            Assert.That(login.Text("error-description"), Is.EqualTo(Stopped));
            Assert.That(console.Json["decision"]!["error"]!["description"]!.GetValue<string>(), Is.EqualTo(Stopped), console.Text);
            Assert.That(settings.Json["limits"]!["ruleTimeout"]!.GetValue<string>(), Is.EqualTo("00:00:00.3000000"), "settings read as they run");
            Assert.That(settings.Json["limits"]!["pipelineTimeout"]!.GetValue<string>(), Is.EqualTo("00:00:10"), "the default maximum of a login");
        });
    }

    private static JsonObject SpinRun() => new()
    {
        ["rules"] = new JsonArray(new JsonObject { ["id"] = "spin", ["source"] = Spin }),
        ["input"] = new JsonObject { ["user"] = new JsonObject(), ["context"] = new JsonObject() },
    };
}
