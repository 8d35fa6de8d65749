using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using RulesMfa.Host.Admission;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The sandbox console in a real browser (Debian's Chromium through Playwright): an admin signs in through the
/// tenant's login with MFA, types a rule with a syntax error and sees its line marked, fixes it, runs it against a
/// real user, reads the decision and the trace, adds the run as a test case of the rule, and deploys the draft after
/// reading its diff and test results. Screenshots at 1280 px.
/// </summary>
[NonParallelizable]
[Category("Browser")]
public sealed class ConsoleBrowserTests
{
    private const string Tenant = "console";
    private const string AdminEmail = "admin@console.example";
    private const string Password = "a long enough password";

    private const string Broken = "function (user, context, callback) {\n  if (context.request.ip === '203.0.113.9' {\n    context.multifactor = { provider: 'any' };\n  }\n  callback(null, user, context);\n}\n";
    private const string Fixed = "function (user, context, callback) {\n  if (context.request.ip === '203.0.113.9') {\n    context.multifactor = { provider: 'any' };\n  }\n  console.log('checked ' + context.request.ip);\n  callback(null, user, context);\n}\n";

    private const string Allow = "function (user, context, callback) {\n  callback(null, user, context);\n}\n";

    private const string Deny = "function (user, context, callback) {\n  if (context.request.ip === '203.0.113.9') { return callback(new UnauthorizedError('office IP')); }\n" +
        "  context.multifactor = { provider: 'any' };\n  callback(null, user, context);\n}\n";

    private IPage page = null!;
    private ConsolePages console = null!;
    private int shot;

    [Test]
    public async Task Console_MarkTheSyntaxError_FixRunAgainstARealUser_AddTestCase_Deploy()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Console Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        await server.AddUserAsync(Tenant, "member@console.example", Password);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        await api.PutAsync("/rules/010-allow", new { source = Allow });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        // Sign in through the tenant's own login; the console always asks for MFA (here: enroll an authenticator app).
        await OpenConsoleAsync(browser, server);
        await ShotAsync("console");

        // A new rule with a syntax error on line 2: the run is refused and line 2 is marked.
        await page.GetByLabel("New rule id").FillAsync("020-office-ip");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        await ReplaceEditorTextAsync(Broken);
        await page.GetByLabel("IP address").FillAsync("203.0.113.9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.Locator("#errors li").WaitForAsync();
        var markedLines = await MarkedLinesAsync();
        var errorText = await page.Locator("#errors").InnerTextAsync();
        await ShotAsync("syntax-error");

        // Fixed: the run against a real user shows the decision, the plan and the trace.
        await ReplaceEditorTextAsync(Fixed);
        await page.Locator("#user-select").SelectOptionAsync(new SelectOptionValue { Label = "member@console.example" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.Locator("#trace tbody tr[data-rule='020-office-ip']").WaitForAsync();
        var outcome = await page.Locator("#outcome").InnerTextAsync();
        var plan = await page.Locator("#plan").InnerTextAsync();
        var trace = await page.Locator("#trace tbody").InnerTextAsync();
        var logs = await page.Locator("#logs").InnerTextAsync();
        var markedAfterFix = await MarkedLinesAsync();
        await ShotAsync("decision");

        // Added as a test case of the draft; nothing is deployed until the draft is.
        await page.GetByLabel("Test case name").FillAsync("office IP asks for MFA");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add as test case of the selected rule" }).ClickAsync();
        await page.Locator("#test-result.good").WaitForAsync();
        var testResult = await page.Locator("#test-result").InnerTextAsync();
        var casesTable = await page.Locator("#test-cases tbody").InnerTextAsync();
        await ShotAsync("test-case-added");
        await page.Locator("#draft-status", new() { HasTextString = "saved" }).WaitForAsync();
        var beforeDeploy = await api.GetAsync("/rules/020-office-ip");

        // Deploy: the dialog shows the change and its test results, and asks to confirm.
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy…" }).ClickAsync();
        await page.Locator("#deploy-dialog[open]").WaitForAsync();
        var preview = await page.Locator("#deploy-changes").InnerTextAsync();
        await ShotAsync("deploy-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy these changes" }).ClickAsync();
        await page.Locator("#draft-status", new() { HasTextString = "Deployed: 020-office-ip" }).WaitForAsync();
        await ShotAsync("deployed");
        var saved = await api.GetAsync("/rules/020-office-ip");
        var serverRun = await api.PostAsync("/rules/020-office-ip/tests/run");

        Assert.Multiple(() =>
        {
            Assert.That(markedLines, Is.EqualTo(new[] { 2 }), "the syntax error's line is marked in the editor");
            Assert.That(errorText, Does.StartWith("2:"));
            Assert.That(outcome, Is.EqualTo("mfa"));
            Assert.That(plan, Does.StartWith("enroll"), "the member has no factor yet, so the tenant policy enrolls one");
            Assert.That(trace, Does.Contain("020-office-ip").And.Contain("ok").And.Contain("010-allow"));
            Assert.That(logs, Does.Contain("[020-office-ip] info: checked 203.0.113.9"));
            Assert.That(markedAfterFix, Is.Empty);
            Assert.That(testResult, Does.Contain("office IP asks for MFA").And.Contain("deploy to keep it"));
            Assert.That(casesTable, Does.Contain("office IP asks for MFA").And.Contain("mfa"));
            Assert.That(beforeDeploy.Status, Is.EqualTo(404), "a draft deploys nothing by itself");
            Assert.That(preview, Does.Contain("020-office-ip: added").And.Contain("1 test case, 0 failed"));
            Assert.That(saved.Json["source"]!.GetValue<string>(), Is.EqualTo(Fixed));
            Assert.That(saved.Json["tests"]!["cases"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("office IP asks for MFA"));
            Assert.That(saved.Json["tests"]!["cases"]![0]!["expect"]!["outcome"]!.GetValue<string>(), Is.EqualTo("mfa"));
            Assert.That(serverRun.Json["cases"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(serverRun.Json["failed"]!.GetValue<int>(), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task Draft_ReorderDisableDelete_ShownInTheList_DeployedAfterConfirming_DiscardAndLeavingWarn()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Console Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        foreach (var id in new[] { "a", "b", "c" })
        {
            await api.PutAsync($"/rules/{id}", new { source = Allow });
        }

        await api.PatchAsync("/rules/c", new { enabled = false });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsoleAsync(browser, server);
        var dialogs = new List<string>();
        var acceptDialogs = true;
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await (acceptDialogs ? dialog.AcceptAsync() : dialog.DismissAsync());
        };
        var listAtStart = await RuleListAsync();

        await page.Locator("#rule-list button[data-rule='b']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move up", Exact = true }).ClickAsync();
        await page.Locator("#rule-list button[data-rule='a']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await page.Locator("#rule-list button[data-rule='c']").ClickAsync();
        acceptDialogs = false;
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete…", Exact = true }).ClickAsync();
        var listAfterDismissedDelete = await RuleListAsync();
        acceptDialogs = true;
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete…", Exact = true }).ClickAsync();
        await page.Locator("#rule-list li.deleted").WaitForAsync();
        var listEdited = await RuleListAsync();
        await page.Locator("#draft-status", new() { HasTextString = "3 changes not deployed" }).WaitForAsync();
        await ShotAsync("draft-edited");
        var deployedWhileDrafting = await api.GetAsync("/rules");

        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy…" }).ClickAsync();
        await page.Locator("#deploy-dialog[open]").WaitForAsync();
        var preview = await page.Locator("#deploy-changes").InnerTextAsync();
        await ShotAsync("draft-deploy-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy these changes" }).ClickAsync();
        await page.Locator("#draft-status", new() { HasTextString = "Deployed: " }).WaitForAsync();
        var deployed = await api.GetAsync("/rules");

        // An edit, then discarding it asks first; leaving the page with it asks too.
        await page.Locator("#rule-list button[data-rule='b']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await page.Locator("#draft-status", new() { HasTextString = "1 change not deployed" }).WaitForAsync();
        acceptDialogs = false;
        await page.GetByRole(AriaRole.Button, new() { Name = "Discard draft" }).ClickAsync();
        var keptAfterDismiss = await page.Locator("#draft-status").InnerTextAsync();
        var leavingAsks = await LeavingAsksAsync();
        acceptDialogs = true;
        await page.GetByRole(AriaRole.Button, new() { Name = "Discard draft" }).ClickAsync();
        await page.Locator("#draft-status", new() { HasTextString = "same as the deployed rules" }).WaitForAsync();
        var draftAfterDiscard = await RuleListAsync();
        var leavingAsksAfterDiscard = await LeavingAsksAsync();

        Assert.Multiple(() =>
        {
            Assert.That(listAtStart, Is.EqualTo(new[] { "a", "b", "c disabled" }), "a rule disabled elsewhere shows its state");
            Assert.That(listAfterDismissedDelete, Is.EqualTo(new[] { "b", "a disabled", "c disabled" }), "a dismissed delete keeps the rule");
            Assert.That(listEdited, Is.EqualTo(new[] { "b", "a disabled", "c (deleted in the draft) Restore c" }));
            Assert.That(deployedWhileDrafting.Json.AsArray().Select(rule => rule!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(preview, Does.Contain("b: moved").And.Contain("a: disabled, moved").And.Contain("c: deleted"));
            Assert.That(deployed.Json.AsArray().Select(rule => $"{rule!["id"]}:{rule["enabled"]}"), Is.EqualTo(new[] { "b:true", "a:false" }));
            Assert.That(dialogs, Has.Some.StartsWith("confirm: Delete c from the draft?"));
            Assert.That(dialogs, Has.Some.StartsWith("confirm: Discard your draft? 1 change not deployed will be lost."));
            Assert.That(keptAfterDismiss, Does.Contain("1 change not deployed"));
            Assert.That(leavingAsks, Is.True, "leaving with changes not deployed asks first");
            Assert.That(leavingAsksAfterDiscard, Is.False);
            Assert.That(draftAfterDiscard, Is.EqualTo(new[] { "b", "a disabled" }), "b's edit is gone; a is disabled as deployed");
        });
    }

    /// <summary>
    /// A discard waits for every save still on its way, not only the newest: with the first save held (the saves overlap when
    /// one takes longer than the 600 ms between an edit and its save), a save that landed after the discard's DELETE brought
    /// the discarded draft back. The routes only order the requests; a held save goes on after 3 s whatever happens.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    public async Task Discard_WithSavesOnTheirWay_WaitsForEach_AndTheDraftStaysDiscarded(int savesOnTheirWay)
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Console Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        foreach (var id in new[] { "a", "b" })
        {
            await api.PutAsync($"/rules/{id}", new { source = Allow });
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsoleAsync(browser, server);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var saves = 0;
        var firstSaveSeen = new TaskCompletionSource();
        var secondSaveAnswered = new TaskCompletionSource();
        var firstSaveLanded = new TaskCompletionSource();
        var discarded = new TaskCompletionSource();
        await page.RouteAsync("**/console/draft", async route =>
        {
            switch (route.Request.Method)
            {
                case "PUT" when Interlocked.Increment(ref saves) == 1:
                    // The first save waits until the draft has been deleted (or 3 s, as the console then waits for it).
                    firstSaveSeen.TrySetResult();
                    await Task.WhenAny(discarded.Task, Task.Delay(TimeSpan.FromSeconds(3)));
                    var held = await route.FetchAsync();
                    firstSaveLanded.TrySetResult();
                    await route.FulfillAsync(new() { Response = held });
                    break;
                case "PUT":
                    var saved = await route.FetchAsync();
                    await route.FulfillAsync(new() { Response = saved });
                    secondSaveAnswered.TrySetResult();
                    break;
                case "DELETE":
                    var deleted = await route.FetchAsync();
                    discarded.TrySetResult();
                    await route.FulfillAsync(new() { Response = deleted });
                    break;
                default:
                    // The reload after a discard reads the draft once a held save has landed.
                    if (discarded.Task.IsCompleted)
                    {
                        await Task.WhenAny(firstSaveLanded.Task, Task.Delay(TimeSpan.FromSeconds(3)));
                    }

                    await route.ContinueAsync();
                    break;
            }
        });

        await page.Locator("#rule-list button[data-rule='b']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
        await firstSaveSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        if (savesOnTheirWay == 2)
        {
            await page.Locator("#rule-list button[data-rule='a']").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Disable", Exact = true }).ClickAsync();
            await secondSaveAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Discard draft" }).ClickAsync();
        await discarded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await firstSaveLanded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await page.Locator("#draft-status", new() { HasTextString = "same as the deployed rules" }).WaitForAsync(new() { Timeout = 5000 });
        var draftKept = await page.EvaluateAsync<bool>(
            "async () => (await (await fetch(document.body.dataset.api + '/console/draft', { headers: { 'X-RulesMfa-Console': '1' } })).json()).saved");

        Assert.That(draftKept, Is.False, "the server holds no draft after the discard");
    }

    /// <summary>
    /// The view's first, unfiltered search answers after the admin's filtered one (held until then): it is dropped, and the
    /// table keeps the admin's search. The other views have the same test in <see cref="ConsoleStaleAnswersBrowserTests"/>.
    /// </summary>
    [Test]
    public async Task DecisionLog_ViewsFirstSearchAnsweringAfterTheAdminsSearch_IsDropped()
    {
        await using var server = await StartWithAMembersLoginAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsoleAsync(browser, server);
        await using var first = await HeldAnswer.ShowingViewAsync(page, "Decision log", "/decisions");
        await page.GetByLabel("User (email or id)").FillAsync("member@");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.Locator("#log-status", new() { HasTextString = "found" }).WaitForAsync();
        await first.ReleaseAsync();
        var status = await page.Locator("#log-status").InnerTextAsync();
        var rows = await page.Locator("#log-table tbody tr").AllInnerTextsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo("1 login found."));
            Assert.That(rows, Has.Count.EqualTo(1).And.Some.Contains("member@console.example"));
        });
    }

    [Test]
    public async Task DecisionLog_FilterByUser_OpenInConsole_ReplaysWithTheDraftAndShowsTheResolvedInput()
    {
        await using var server = await StartWithAMembersLoginAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsoleAsync(browser, server);
        await ReplaceEditorTextAsync("function (user, context, callback) {\n  if (context.clientID === 'member-app') { context.multifactor = { provider: 'any' }; }\n  callback(null, user, context);\n}\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Decision log" }).ClickAsync();
        await page.GetByLabel("User (email or id)").FillAsync("member@");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.Locator("#log-status", new() { HasTextString = "1 login found" }).WaitForAsync();
        var logRow = await page.Locator("#log-table tbody tr").InnerTextAsync();
        await ShotAsync("decision-log");
        await page.GetByRole(AriaRole.Button, new() { NameString = "Open in console: the login of member@console.example" }).ClickAsync();
        await page.Locator("#recorded-compare", new() { HasTextString = "with the draft" }).WaitForAsync();
        var compare = await page.Locator("#recorded-compare").InnerTextAsync();
        var hints = await page.Locator("#hints").InnerTextAsync();
        await page.GetByText("Actions event").ClickAsync();
        var eventView = await page.Locator("#event-view").InnerTextAsync();
        await ShotAsync("replay");

        Assert.Multiple(() =>
        {
            Assert.That(logRow, Does.Contain("member@console.example").And.Contain("member-app").And.Contain("allow"));
            Assert.That(compare, Is.EqualTo("allow when recorded, mfa with the draft (changed)"));
            Assert.That(hints, Does.Contain("context.request.geoip empty: this server has no GeoIP database"));
            Assert.That(eventView, Does.Contain("\"client_id\": \"member-app\""));
        });
    }

    [Test]
    public async Task Backtest_DraftRequiringMfaOnOneClient_ShowsTheOneChangedLoginAndOpensItInTheConsole()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Console Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        await server.AddUserAsync(Tenant, "member@console.example", Password);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        await api.PutAsync("/rules/010-allow", new { source = Allow });
        foreach (var client in new[] { "member-app", "other-app" })
        {
            await using var app = await RelyingParty.StartAsync(server, Tenant, client);
            using var member = new FormBrowser();
            await LoginFlow.SignInAsync(member, app, "member@console.example", Password);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsoleAsync(browser, server);
        await ReplaceEditorTextAsync("function (user, context, callback) {\n  if (context.clientID === 'member-app') { context.multifactor = { provider: 'any' }; }\n  callback(null, user, context);\n}\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Backtest", Exact = true }).ClickAsync();
        await page.GetByLabel("Newest logins to run on").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start backtest" }).ClickAsync();
        await page.Locator("#backtest-last-error", new() { HasTextString = "must be" }).WaitForAsync();
        var refused = await page.Locator("#backtest-last-error").InnerTextAsync();
        var describedBy = await page.GetByLabel("Newest logins to run on").GetAttributeAsync("aria-describedby");
        await page.GetByLabel("Newest logins to run on").FillAsync("100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start backtest" }).ClickAsync();
        await page.Locator("#backtest-status", new() { HasTextString = "Done:" }).WaitForAsync();
        var status = await page.Locator("#backtest-status").InnerTextAsync();
        var byKind = await page.Locator("#backtest-by-kind tbody").InnerTextAsync();
        var byClient = await page.Locator("#backtest-by-client tbody").InnerTextAsync();
        var changes = await page.Locator("#backtest-changes tbody tr").AllInnerTextsAsync();
        await ShotAsync("backtest");
        await page.Locator("#backtest-changes tbody tr").First.GetByRole(AriaRole.Button).ClickAsync();
        await page.Locator("#recorded-compare", new() { HasTextString = "with the draft" }).WaitForAsync();
        var compare = await page.Locator("#recorded-compare").InnerTextAsync();
        await ShotAsync("backtest-replay");

        Assert.Multiple(() =>
        {
            Assert.That(refused, Does.StartWith("must be 1 to 10,000"));
            Assert.That(describedBy, Is.EqualTo("backtest-last-error"));
            Assert.That(status, Does.StartWith("Done: 3 logins compared, 1 decided differently"), "the member's two logins and the admin's console sign-in");
            Assert.That(byKind, Does.Contain("allow → mfa\t1"));
            Assert.That(byClient, Does.Contain("member-app\t1"));
            Assert.That(changes, Has.Count.EqualTo(1));
            Assert.That(changes[0], Does.Contain("member@console.example").And.Contain("member-app").And.Contain("010-allow"));
            Assert.That(compare, Is.EqualTo("allow when recorded, mfa with the draft (changed)"));
        });
    }

    /// <summary>
    /// Another admin's backtest runs (it waits for a place to run the tenant's rules: the test holds them all) when this admin
    /// starts one, while the view's first poll is still on its way (held until the start has answered). The start is refused
    /// (409) and made that poll stale; the view then shows the running backtest, saying why, and follows it to its end.
    /// </summary>
    [Test]
    public async Task Backtest_StartedWhileAnotherRuns_ShowsTheRunningOneSayingWhy_AndFollowsItToItsEnd()
    {
        await using var server = await StartWithAMembersLoginAsync();
        using var api = await AdminApiClient.CreateAsync(server, Tenant);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsoleAsync(browser, server);
        var places = await HoldEveryPlaceToRunAsync(server);
        var other = await api.PostAsync("/console/backtest", new { rules = new[] { new { id = "010-allow", source = Allow } }, last = 100 });
        await using var viewsPoll = await HeldAnswer.ShowingViewAsync(page, "Backtest", "/console/backtest");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start backtest" }).ClickAsync();
        await page.Locator("#backtest-status", new() { HasTextString = "Not started:" }).WaitForAsync();
        await viewsPoll.ReleaseAsync();
        await page.Locator("#backtest-status", new() { HasTextString = "paused: Every place" }).WaitForAsync(new() { Timeout = 10_000 });
        var running = await page.Locator("#backtest-status").InnerTextAsync();
        var cancelEnabled = await page.Locator("#backtest-cancel").IsEnabledAsync();
        await ShotAsync("backtest-refused-while-running");
        places.ForEach(place => place.Dispose());
        await page.Locator("#backtest-status", new() { HasTextString = "Done:" }).WaitForAsync();
        var done = await page.Locator("#backtest-status").InnerTextAsync();

        Assert.Multiple(() =>
        {
            Assert.That(other.Status, Is.EqualTo(202), "the other admin's backtest started");
            Assert.That(running, Does.StartWith("Not started: A backtest of this tenant is running (started by"));
            Assert.That(running, Does.Contain("Shown here: Running: 0 of 2 logins (paused: Every place to run this tenant's rules is taken"));
            Assert.That(cancelEnabled, Is.True, "the running backtest can be cancelled from here");
            Assert.That(done, Does.StartWith("Not started: A backtest of this tenant is running").And.Contain("Shown here: Done: 2 logins compared, 0 decided differently"));
        });
    }

    [Test]
    public async Task RunOneRuleAlone_AndEditTheRealUsersInputAsJson_KeepingTheUser()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Console Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        await api.PutAsync("/rules/010-allow", new { source = Allow, order = 10 });
        await api.PutAsync("/rules/020-deny-office", new { source = Deny, order = 20 });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsoleAsync(browser, server);

        await page.Locator("#rule-list button[data-rule='010-allow']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the selected rule alone" }).ClickAsync();
        await page.Locator("#outcome", new() { HasTextString = "allow" }).WaitForAsync();
        var aloneTrace = await page.Locator("#trace tbody tr").AllInnerTextsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.Locator("#outcome", new() { HasTextString = "deny" }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit this user's input as JSON" }).ClickAsync();
        await page.Locator("#template-input:not([hidden])").WaitForAsync();
        var json = JsonNode.Parse(await page.GetByLabel("Input: {\"user\": ..., \"context\": ...}").InputValueAsync())!;
        json["context"]!["request"]!["ip"] = "198.51.100.7";
        await page.GetByLabel("Input: {\"user\": ..., \"context\": ...}").FillAsync(json.ToJsonString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.Locator("#outcome", new() { HasTextString = "mfa" }).WaitForAsync();
        await ShotAsync("edited-input");

        Assert.Multiple(() =>
        {
            Assert.That(aloneTrace, Has.Count.EqualTo(1));
            Assert.That(aloneTrace[0], Does.StartWith("010-allow"));
            Assert.That(json["user"]!["email"]!.GetValue<string>(), Is.EqualTo(AdminEmail), "the real user is kept");
            Assert.That(json["user"]!["enrolledFactors"]!.AsArray(), Is.Not.Empty, "with their factors");
        });
    }

    [Test]
    public async Task TypingABrokenRule_ShowsItsLineAndColumnBesideTheEditorWithoutRunning_FixingItClearsTheMessage()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Console Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        await api.PutAsync("/rules/010-allow", new { source = Allow });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await OpenConsoleAsync(browser, server);
        const string broken = "function (user, context, callback) {\n  var ok = true;\n  if (ok {\n  }\n  callback(null, user, context);\n}\n";
        var status = page.Locator("#syntax-status");

        await page.Locator("#rule-list button[data-rule='010-allow']").ClickAsync();
        await page.Locator("#syntax-status", new() { HasTextString = "No syntax errors" }).WaitForAsync();
        await ReplaceEditorTextAsync(broken);
        await page.Locator("#syntax-status", new() { HasTextString = "Line 3" }).WaitForAsync();
        var message = await status.InnerTextAsync();
        var marked = await MarkedLinesAsync("cm-syntax-error-line");
        var describedBy = await page.Locator(".CodeMirror textarea").GetAttributeAsync("aria-describedby");
        var role = await status.GetAttributeAsync("role");
        var outcome = await page.Locator("#outcome").InnerTextAsync();
        await ShotAsync("live-syntax-error");

        // Fixed with keystrokes: the closing parenthesis after "ok" on line 3.
        await page.Keyboard.PressAsync("Control+Home");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.PressAsync("ArrowLeft");
        await page.Keyboard.TypeAsync(")");
        await page.Locator("#syntax-status", new() { HasTextString = "No syntax errors" }).WaitForAsync();
        var markedAfterFix = await MarkedLinesAsync("cm-syntax-error-line");
        await ShotAsync("live-syntax-fixed");

        Assert.Multiple(() =>
        {
            Assert.That(message, Is.EqualTo("Line 3, column 10: Unexpected token '{'"));
            Assert.That(marked, Is.EqualTo(new[] { 3 }), "the error's line is marked in the editor");
            Assert.That(describedBy!.Split(' '), Does.Contain("syntax-status"), "the editor is described by the check's message");
            Assert.That(role, Is.EqualTo("status"));
            Assert.That(outcome, Is.EqualTo("—"), "nothing was run");
            Assert.That(markedAfterFix, Is.Empty);
        });
    }

    /// <summary>Signs in to the console through the tenant's login, enrolling an authenticator app, at 1280 px.</summary>
    /// <summary>A server with the admin, a member, a rule that allows, and one login of the member through an app: one decision logged.</summary>
    private static async Task<RulesMfaServer> StartWithAMembersLoginAsync()
    {
        var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Console Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        await server.AddUserAsync(Tenant, "member@console.example", Password);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        await api.PutAsync("/rules/010-allow", new { source = Allow });
        await using var app = await RelyingParty.StartAsync(server, Tenant, "member-app");
        using var member = new FormBrowser();
        await LoginFlow.SignInAsync(member, app, "member@console.example", Password);
        return server;
    }

    /// <summary>Takes every place to run the tenant's rules, as logins would: a backtest then waits, paused, until they are disposed.</summary>
    private static Task<List<AdmissionResult>> HoldEveryPlaceToRunAsync(RulesMfaServer server) => server.WithServicesAsync(async services =>
    {
        var admission = services.GetRequiredService<EvaluationAdmission>();
        var places = new List<AdmissionResult>();
        for (var place = 0; place < services.GetRequiredService<IOptions<SandboxServerOptions>>().Value.MaxConcurrentEvaluationsPerTenant; place++)
        {
            places.Add(await admission.AdmitLoginAsync(Tenant, CancellationToken.None));
        }

        Assert.That(places, Is.All.InstanceOf<AdmissionResult.Granted>());
        return places;
    });

    private async Task OpenConsoleAsync(IBrowser browser, RulesMfaServer server)
    {
        page = await ConsolePages.NewPageAsync(browser, bypassCsp: false);
        console = new ConsolePages(server, Tenant, Password, "console");
        await console.SignInAsync(page, AdminEmail);
    }

    /// <summary>Whether the page's beforeunload handler asks the browser to confirm leaving (it cancels the event).</summary>
    private Task<bool> LeavingAsksAsync() => page.EvaluateAsync<bool>(
        "() => { const leaving = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(leaving); return leaving.defaultPrevented; }");

    private async Task<string[]> RuleListAsync() =>
        (await page.Locator("#rule-list li").AllInnerTextsAsync()).Select(item => string.Join(' ', item.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToArray();

    /// <summary>Selects everything in the editor and pastes <paramref name="text"/>, as a person would.</summary>
    private async Task ReplaceEditorTextAsync(string text)
    {
        await page.Locator(".CodeMirror").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.InsertTextAsync(text);
    }

    /// <summary>The 1-based numbers of the editor lines marked as errors.</summary>
    private Task<int[]> MarkedLinesAsync(string lineClass = "cm-error-line") => page.EvaluateAsync<int[]>(
        "(lineClass) => { const cm = document.querySelector('.CodeMirror').CodeMirror; const marked = [];"
        + " for (let i = 0; i < cm.lineCount(); i++) { if ((cm.lineInfo(i).bgClass || '').split(' ').includes(lineClass)) { marked.push(i + 1); } } return marked; }",
        lineClass);

    private Task ShotAsync(string name) => console.ShotAsync(page, $"{++shot:00}-{name}");
}
