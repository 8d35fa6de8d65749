using Microsoft.Playwright;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// Each list view of the console asks for its list when shown; when the admin acts before that first answer arrives, the
/// answer to the admin's action comes first and the first one, now stale, must be dropped (each view keeps a ticket of the
/// newest answer it asked for). Each test holds the view's first answer (<see cref="HeldAnswer"/>), acts as the admin, sees
/// the admin's answer shown, releases the stale one and reads the view again: it still shows the admin's answer. The decision
/// log has the same test in <see cref="ConsoleBrowserTests"/>. In Chromium under the console's real CSP.
/// </summary>
[NonParallelizable]
[Category("Browser")]
public sealed class ConsoleStaleAnswersBrowserTests
{
    private const string Tenant = "stale";
    private const string Allow = "function (user, context, callback) {\n  callback(null, user, context);\n}\n";

    private ConsoleBrowserServer site = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        site = await ConsoleBrowserServer.StartAsync(Tenant, "Stale Inc.", "stale.example", ["settings", "configuration", "versions", "users", "audit", "backtest"], "stale");
        api = site.Api;
        await site.Server.AddUserAsync(Tenant, "member@stale.example", ConsoleBrowserServer.Password);
        await api.PutAsync("/rules/010-allow", new { source = Allow });
        await api.PutAsync("/rules/050-release", new { source = Allow });
        await api.PutAsync("/rules/050-release", new { source = Allow.Replace("callback(null", "user.released = true;\n  callback(null", StringComparison.Ordinal) });
        // An event the audit log's filter below leaves out: the view's unfiltered first page differs from the admin's.
        await api.PutAsync("/configuration/REGION", new { value = "eu", secret = false });
        await using var app = await RelyingParty.StartAsync(site.Server, Tenant, "member-app");
        using var member = new FormBrowser();
        await LoginFlow.SignInAsync(member, app, "member@stale.example", ConsoleBrowserServer.Password);
    }

    [OneTimeTearDown]
    public Task StopAsync() => site.DisposeAsync().AsTask();

    [Test]
    public async Task Settings_ViewsFirstLoadAnsweringAfterTheAdminsReload_IsDropped()
    {
        var page = await site.OpenAsync("settings", bypassCsp: false);
        await using var first = await HeldAnswer.ShowingViewAsync(page, "Settings", "/settings");
        var stored = (await api.GetAsync("/settings")).Json;
        stored["rememberBrowserDays"] = 7;
        await api.PutAsync("/settings", stored);

        await page.GetByRole(AriaRole.Button, new() { Name = "Reload", Exact = true }).ClickAsync();
        await page.Locator("#settings-status", new() { HasTextString = "Reloaded." }).WaitForAsync();
        await first.ReleaseAsync();
        var days = await page.GetByLabel("Remember a browser for (days)").InputValueAsync();
        var status = await page.Locator("#settings-status").InnerTextAsync();

        Assert.Multiple(() =>
        {
            Assert.That(days, Is.EqualTo("7"), "the settings as reloaded, not as first read (30)");
            Assert.That(status, Is.EqualTo("Reloaded."));
        });
    }

    [Test]
    public async Task Configuration_ViewsFirstListAnsweringAfterTheAdminsSave_IsDropped()
    {
        var page = await site.OpenAsync("configuration", bypassCsp: false);
        await using var first = await HeldAnswer.ShowingViewAsync(page, "Configuration", "/configuration");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("SAVED_WHILE_LOADING");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync("x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save value" }).ClickAsync();
        await page.Locator("#configuration-table tr[data-name='SAVED_WHILE_LOADING']").WaitForAsync();
        await first.ReleaseAsync();
        var saved = await page.Locator("#configuration-table tr[data-name='SAVED_WHILE_LOADING']").CountAsync();
        var status = await page.Locator("#configuration-status").InnerTextAsync();

        Assert.Multiple(() =>
        {
            Assert.That(saved, Is.EqualTo(1), "the saved value stays listed");
            Assert.That(status, Is.EqualTo("SAVED_WHILE_LOADING saved as a secret: its value is not shown again."));
        });
    }

    [Test]
    public async Task Versions_ViewsFirstHistoryAnsweringAfterTheRuleTheAdminChose_IsDropped()
    {
        var page = await site.OpenAsync("versions", bypassCsp: false);
        await using var first = await HeldAnswer.ShowingViewAsync(page, "Versions", "/rules/010-allow/versions");

        await page.Locator("#versions-rule option[value='050-release']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("#versions-rule").SelectOptionAsync("050-release");
        await page.Locator("#versions-status", new() { HasTextString = "of 050-release" }).WaitForAsync();
        await first.ReleaseAsync();
        var status = await page.Locator("#versions-status").InnerTextAsync();
        var rows = await page.Locator("#versions-table tbody tr").CountAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("2 versions of 050-release; version 2 is deployed."));
            Assert.That(rows, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Users_ViewsFirstSearchAnsweringAfterTheAdminsSearch_IsDropped()
    {
        var page = await site.OpenAsync("users", bypassCsp: false);
        await using var first = await HeldAnswer.ShowingViewAsync(page, "Users", "/users");

        await page.GetByLabel("Email, name or user id").FillAsync("member@");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search users" }).ClickAsync();
        await page.Locator("#users-status", new() { HasTextString = "for \"member@\"" }).WaitForAsync();
        await first.ReleaseAsync();
        var status = await page.Locator("#users-status").InnerTextAsync();
        var rows = await page.Locator("#users-table tbody tr").AllInnerTextsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("1 user found for \"member@\"."));
            Assert.That(rows, Has.Count.EqualTo(1).And.Some.Contains("member@stale.example"));
        });
    }

    [Test]
    public async Task AuditLog_ViewsFirstPageAnsweringAfterTheAdminsSearch_IsDropped()
    {
        var page = await site.OpenAsync("audit", bypassCsp: false);
        await using var first = await HeldAnswer.ShowingViewAsync(page, "Audit log", "/audit");

        await page.GetByLabel("Event type").FillAsync("rule");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search the audit log" }).ClickAsync();
        await page.Locator("#audit-status", new() { HasTextString = "(action rule)." }).WaitForAsync();
        await first.ReleaseAsync();
        var status = await page.Locator("#audit-status").InnerTextAsync();
        var types = await page.Locator("#audit-table tbody tr td:nth-child(2)").AllInnerTextsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("Page 1: 3 events (action rule)."), "the set-up's three saves of rules");
            Assert.That(types, Is.EqualTo(new[] { "rule.saved", "rule.created", "rule.created" }));
        });
    }

    [Test]
    public async Task Backtest_ViewsFirstPollAnsweringAfterTheAdminsBacktestEnded_IsDropped()
    {
        var earlier = await api.BacktestAsync(new { rules = new[] { new { id = "010-allow", source = Allow } }, last = 1 });
        var page = await site.OpenAsync("backtest", bypassCsp: false);
        await using var first = await HeldAnswer.ShowingViewAsync(page, "Backtest", "/console/backtest");

        await page.GetByLabel("Newest logins to run on").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start backtest" }).ClickAsync();
        await page.Locator("#backtest-status", new() { HasTextString = "Done:" }).WaitForAsync();
        await first.ReleaseAsync();
        var status = await page.Locator("#backtest-status").InnerTextAsync();

        Assert.Multiple(() =>
        {
            Assert.That(earlier["result"]!["compared"]!.GetValue<int>(), Is.EqualTo(1), "the earlier backtest, which the view's first poll answers with");
            Assert.That(status, Does.StartWith("Done: 2 logins compared"), "the admin's backtest");
        });
    }
}
