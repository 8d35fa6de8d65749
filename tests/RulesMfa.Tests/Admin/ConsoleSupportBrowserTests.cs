using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The console's Versions, Users and Audit log sections in Chromium at 1280 px, on the real server: a rule's history with
/// diffs and a confirmed rollback; a user's factors, "Forget browsers" and "Reset MFA", proved by the next logins through
/// the real pages and the stock OIDC client; the audit log filtered and paged. Each view is screenshot and checked by axe-core.
/// </summary>
[NonParallelizable]
[Category("Browser")]
public sealed class ConsoleSupportBrowserTests
{
    private const string Tenant = "support";
    private const string Password = ConsoleBrowserServer.Password;
    private const string MfaRememberable = "function (user, context, callback) {\n  context.multifactor = { provider: 'any', allowRememberBrowser: true };\n  callback(null, user, context);\n}\n";
    private const string ClaimV1 = "function (user, context, callback) {\n  context.idToken['https://example.com/release'] = 'v1';\n  callback(null, user, context);\n}\n";
    private const string ClaimV2 = "function (user, context, callback) {\n  context.idToken['https://example.com/release'] = 'v2';\n  callback(null, user, context);\n}\n";

    private ConsoleBrowserServer site = null!;
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private AdminApiClient api = null!;
    private ConsolePages console = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        site = await ConsoleBrowserServer.StartAsync(Tenant, "Support Inc.", "support.example", ["versions", "users", "audit", "filters", "keys"], "support");
        (server, api, console) = (site.Server, site.Api, site.Console);
        await api.PutAsync("/rules/010-mfa", new { source = MfaRememberable });
        await api.PutAsync("/rules/050-release", new { source = ClaimV1 });
        await api.PutAsync("/rules/050-release", new { source = ClaimV2 });
        await api.PutAsync("/rules/060-keys", new { source = ClaimV1 });
        await api.PutAsync("/rules/060-keys", new { source = ClaimV2 });
        await server.AddUserAsync(Tenant, "typist@support.example", Password);
        app = await RelyingParty.StartAsync(server, Tenant, "support-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await site.DisposeAsync();
    }

    [Test]
    public async Task Versions_HistoryDiffWithDeployedAndDraft_RollbackConfirmedShowsTheNewVersion()
    {
        var page = await site.OpenAsync("versions");
        await page.Locator("#rule-list button[data-rule='050-release']").ClickAsync();
        await page.Locator(".CodeMirror").ClickAsync();
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.InsertTextAsync("// drafted\n");
        await page.Locator("#draft-status", new() { HasTextString = "saved" }).WaitForAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Versions", Exact = true }).ClickAsync();
        await page.GetByLabel("Rule", new() { Exact = true }).SelectOptionAsync("050-release");
        await page.Locator("#versions-table tbody tr[data-version='1']").WaitForAsync();
        var history = await page.Locator("#versions-table tbody tr").AllInnerTextsAsync();
        var violations = new List<string>(await console.ShotAndAxeAsync(page, "01-versions"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Diff with deployed: version 1 of 050-release" }).ClickAsync();
        await page.Locator("#versions-diff-heading", new() { HasTextString = "deployed version 2" }).WaitForAsync();
        var diffWithDeployed = await page.Locator("#versions-diff-text").InnerTextAsync();
        violations.AddRange(await console.ShotAndAxeAsync(page, "02-versions-diff-deployed"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Diff with my draft: version 2 of 050-release" }).ClickAsync();
        await page.Locator("#versions-diff-heading", new() { HasTextString = "your draft" }).WaitForAsync();
        var diffWithDraft = await page.Locator("#versions-diff-text").InnerTextAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back to this…: version 1 of 050-release" }).ClickAsync();
        await page.Locator("#rollback-dialog[open]").WaitForAsync();
        var confirmation = await page.Locator("#rollback-summary").InnerTextAsync();
        var rollbackDiff = await page.Locator("#rollback-diff").InnerTextAsync();
        var deployedWhileAsking = await api.GetAsync("/rules/050-release");
        violations.AddRange(await console.ShotAndAxeAsync(page, "03-rollback-confirm"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back", Exact = true }).ClickAsync();
        await page.Locator("#versions-status", new() { HasTextString = "Rolled back" }).WaitForAsync();
        var status = await page.Locator("#versions-status").InnerTextAsync();
        var newest = await page.Locator("#versions-table tbody tr").First.InnerTextAsync();
        violations.AddRange(await console.ShotAndAxeAsync(page, "04-rolled-back"));
        var deployed = await api.GetAsync("/rules/050-release");

        Assert.Multiple(() =>
        {
            Assert.That(history, Has.Count.EqualTo(2));
            Assert.That(history[0], Does.StartWith("2 (deployed)").And.Contain($"client:{api.ClientId}").And.Contain("sha256:"));
            Assert.That(diffWithDeployed, Does.Contain("-  context.idToken['https://example.com/release'] = 'v1';").And.Contain("+  context.idToken['https://example.com/release'] = 'v2';"));
            Assert.That(diffWithDraft, Does.Contain("+// drafted"));
            Assert.That(confirmation, Does.Contain("deployed version 2").And.Contain("source and test cases of version 1").And.Contain("if one fails, nothing changes"));
            Assert.That(rollbackDiff, Does.Contain("+  context.idToken['https://example.com/release'] = 'v1';"));
            Assert.That(deployedWhileAsking.Json["version"]!.GetValue<int>(), Is.EqualTo(2), "nothing changes before the confirmation");
            Assert.That(status, Does.Contain("050-release is now version 3, with the source of version 1"));
            Assert.That(newest, Does.StartWith("3 (deployed)").And.Contain("restores version 1"));
            Assert.That(deployed.Json["source"]!.GetValue<string>(), Is.EqualTo(ClaimV1));
            Assert.That(violations, Is.Empty);
        });
    }

    [Test]
    public async Task Users_ForgetBrowsersThenResetMfa_RememberedBrowserIsAskedAgain_NextLoginEnrollsAgain()
    {
        const string member = "member@support.example";
        await server.AddUserAsync(Tenant, member, Password);
        using var first = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(first, app, member, Password);
        var key = LoginFlow.KeyFrom(enrollment);
        await LoginFlow.SubmitCodeAsync(first, enrollment, LoginFlow.CodeFor(key));
        using var rememberedBrowser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(rememberedBrowser, app, member, Password);
        await rememberedBrowser.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key, 1), ["RememberBrowser"] = "true" }, formWithField: "Code");
        await rememberedBrowser.GetAsync(app.BaseUrl + "/logout");
        var skippedBefore = await LoginFlow.SignInAsync(rememberedBrowser, app, member, Password);
        await rememberedBrowser.GetAsync(app.BaseUrl + "/logout");
        var page = await site.OpenAsync("users");

        await page.GetByRole(AriaRole.Button, new() { Name = "Users", Exact = true }).ClickAsync();
        await page.GetByLabel("Email, name or user id").FillAsync("member");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search users" }).ClickAsync();
        await page.Locator("#users-status", new() { HasTextString = "1 user found" }).WaitForAsync();
        var violations = new List<string>(await console.ShotAndAxeAsync(page, "05-users"));
        await page.GetByRole(AriaRole.Button, new() { Name = $"Open {member}" }).ClickAsync();
        await page.Locator("#user-heading", new() { HasTextString = member }).WaitForAsync();
        var factorsBefore = await page.Locator("#user-factors li").AllInnerTextsAsync();
        var browsersBefore = await page.Locator("#user-browsers").InnerTextAsync();
        var detailText = await page.Locator("#user-detail").InnerTextAsync();
        violations.AddRange(await console.ShotAndAxeAsync(page, "06-user"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Forget browsers…" }).ClickAsync();
        await page.Locator("#user-dialog[open]").WaitForAsync();
        var forgetQuestion = await page.Locator("#user-dialog-text").InnerTextAsync();
        violations.AddRange(await console.ShotAndAxeAsync(page, "07-forget-browsers-confirm"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Forget browsers", Exact = true }).ClickAsync();
        await page.Locator("#user-action-result", new() { HasTextString = "Forgot 1 remembered browser" }).WaitForAsync();
        var askedAgain = await LoginFlow.SignInAsync(rememberedBrowser, app, member, Password);

        await page.GetByRole(AriaRole.Button, new() { Name = "Reset MFA…" }).ClickAsync();
        await page.Locator("#user-dialog[open]").WaitForAsync();
        var resetQuestion = await page.Locator("#user-dialog-text").InnerTextAsync();
        var toBeRemoved = await page.Locator("#user-dialog-list li").AllInnerTextsAsync();
        violations.AddRange(await console.ShotAndAxeAsync(page, "08-reset-mfa-confirm"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset MFA", Exact = true }).ClickAsync();
        await page.Locator("#user-action-result", new() { HasTextString = "MFA reset" }).WaitForAsync();
        var resetResult = await page.Locator("#user-action-result").InnerTextAsync();
        var factorsAfter = await page.Locator("#user-factors li").AllInnerTextsAsync();
        violations.AddRange(await console.ShotAndAxeAsync(page, "09-mfa-reset"));
        using var next = new FormBrowser();
        var nextLogin = await LoginFlow.SignInAsync(next, app, member, Password);

        Assert.Multiple(() =>
        {
            Assert.That(skippedBefore.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "the browser was remembered");
            Assert.That(factorsBefore, Does.Contain("Authenticator app").And.Contain("Recovery code"));
            Assert.That(browsersBefore, Is.EqualTo("1"));
            Assert.That(detailText, Does.Not.Contain("otpauth").And.Not.Contain("secret"), "names only");
            Assert.That(forgetQuestion, Does.Contain("ask for MFA again").And.Contain("Their factors stay"));
            Assert.That(askedAgain.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), "the forgotten browser is asked for MFA again");
            Assert.That(factorsBefore, Does.Contain("Email (the verified account email, only next to another factor)"));
            Assert.That(resetQuestion, Does.Contain($"removes every factor of {member}").And.Contain("must enroll a factor again"));
            Assert.That(toBeRemoved, Is.EqualTo(new[] { "Authenticator app", "Recovery code" }), "what the reset removes; the account's email stays");
            Assert.That(resetResult, Does.Contain("removed 1 Authenticator app, 1 Recovery code"));
            Assert.That(factorsAfter, Is.EqualTo(new[] { "None: they enroll at their next login that asks for MFA." }));
            Assert.That(nextLogin.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa/enroll"), "after Reset MFA the next login enrolls again");
            Assert.That(violations, Is.Empty);
        });
    }

    [Test]
    public async Task AuditLog_FilterTypedWhileTheSearchIsAnswered_StatusLineNamesTheSearchShown()
    {
        var page = await site.OpenAsync("filters");
        await page.GetByRole(AriaRole.Button, new() { Name = "Audit log", Exact = true }).ClickAsync();
        await page.Locator("#audit-status:not(:empty)").WaitForAsync();
        await using var answer = await HeldAnswer.NextAsync(page, "/audit");

        await page.GetByLabel("Event type").FillAsync("rule");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search the audit log" }).ClickAsync();
        await answer.Fetched.WaitAsync(TimeSpan.FromSeconds(10));
        await page.GetByLabel("Event type").FillAsync("user");
        await answer.ReleaseAsync();
        var status = await page.Locator("#audit-status").InnerTextAsync();
        var types = await page.Locator("#audit-table tbody tr td:nth-child(2)").AllInnerTextsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Does.StartWith("Page 1: ").And.EndWith(" (action rule)."), "the search shown, not the filter typed since without searching");
            Assert.That(types, Is.Not.Empty.And.All.StartWith("rule."), "the set-up's saves of rules");
        });
    }

    [Test]
    public async Task AuditLog_FilteredByActorAndType_PagedNewestFirst_BadTimeShownBesideItsInput()
    {
        await SeedAuditAsync(55, "rule.saved");
        await SeedAuditAsync(5, "settings.changed");
        var page = await site.OpenAsync("audit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Audit log", Exact = true }).ClickAsync();
        await page.Locator("#audit-table tbody tr").First.WaitForAsync();
        var violations = new List<string>(await console.ShotAndAxeAsync(page, "10-audit"));
        await page.GetByLabel("Actor (part of it)").FillAsync("ci-seeded");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search the audit log" }).ClickAsync();
        await page.Locator("#audit-status", new() { HasTextString = "Page 1: 50 events, older events on the next page (actor ci-seeded)." }).WaitForAsync();
        var firstPage = await page.Locator("#audit-table tbody tr").AllInnerTextsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Older events" }).ClickAsync();
        await page.Locator("#audit-status", new() { HasTextString = "Page 2: 10 events" }).WaitForAsync();
        var secondPage = await page.Locator("#audit-table tbody tr").AllInnerTextsAsync();
        var olderEnabled = await page.Locator("#audit-older").IsEnabledAsync();
        violations.AddRange(await console.ShotAndAxeAsync(page, "11-audit-page-2"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Newer events" }).ClickAsync();
        await page.Locator("#audit-status", new() { HasTextString = "Page 1: 50 events" }).WaitForAsync();
        await page.GetByLabel("Event type").FillAsync("settings");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search the audit log" }).ClickAsync();
        await page.Locator("#audit-status", new() { HasTextString = "Page 1: 5 events (action settings, actor ci-seeded)." }).WaitForAsync();
        var settingsOnly = await page.Locator("#audit-table tbody tr td:nth-child(2)").AllInnerTextsAsync();

        await page.Locator("#audit-view").GetByLabel("From (UTC)").FillAsync("2026-12-02T00:00");
        await page.Locator("#audit-view").GetByLabel("To (UTC)").FillAsync("2026-12-01T00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search the audit log" }).ClickAsync();
        await page.Locator("#audit-to-error:not(:empty)").WaitForAsync();
        var toError = await page.Locator("#audit-to-error").InnerTextAsync();
        var toInvalid = await page.Locator("#audit-to").GetAttributeAsync("aria-invalid");
        var toDescribedBy = await page.Locator("#audit-to").GetAttributeAsync("aria-describedby");
        var rowsAfterError = await page.Locator("#audit-table tbody tr").CountAsync();
        violations.AddRange(await console.ShotAndAxeAsync(page, "12-audit-bad-time"));

        Assert.Multiple(() =>
        {
            Assert.That(firstPage, Has.Count.EqualTo(50));
            Assert.That(firstPage[0], Does.Contain("settings.changed").And.Contain("seeded 4"), "newest first");
            Assert.That(secondPage[^1], Does.Contain("rule.saved").And.Contain("seeded 0"), "the oldest last");
            Assert.That(olderEnabled, Is.False, "no page after the last");
            Assert.That(settingsOnly, Is.EqualTo(Enumerable.Repeat("settings.changed", 5)));
            Assert.That(toError, Is.EqualTo("must not be before 'from'"));
            Assert.That(toInvalid, Is.EqualTo("true"));
            Assert.That(toDescribedBy, Is.EqualTo("audit-to-error"));
            Assert.That(rowsAfterError, Is.Zero, "a refused search shows no stale rows");
            Assert.That(violations, Is.Empty);
        });
    }

    [Test]
    public async Task Keyboard_Only_VersionsDiffAndRollbackDialog_UsersForgetBrowsers_AuditFilter()
    {
        var page = await site.OpenAsync("keys");

        // From here on, the keyboard only.
        await ConsolePages.TabToAsync(page, "nav button[data-view='versions-view']");
        await page.Keyboard.PressAsync("Enter");
        await ConsolePages.TabToAsync(page, "#versions-rule");
        // The view lists the rules when shown (then the draft's rule's versions); End picks the last rule only once they are listed.
        await page.Locator("#versions-status:not(:empty)").WaitForAsync();
        await page.Keyboard.PressAsync("End");
        await page.Locator("#versions-status", new() { HasTextString = "2 versions of 060-keys" }).WaitForAsync();
        await ConsolePages.TabToAsync(page, "button[aria-label='Diff with deployed: version 1 of 060-keys']");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#versions-diff-heading", new() { HasTextString = "060-keys: version 1 → deployed version 2" }).WaitForAsync();
        var diffFocused = await page.EvaluateAsync<string>("() => document.activeElement.id");
        await ConsolePages.TabToAsync(page, "button[aria-label='Roll back to this…: version 1 of 060-keys']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#rollback-dialog[open]").WaitForAsync();
        var focusInDialog = await page.EvaluateAsync<string>("() => document.activeElement.id");
        await page.Keyboard.PressAsync("Escape");
        var dialogClosed = await page.Locator("#rollback-dialog").EvaluateAsync<bool>("dialog => !dialog.open");

        await ConsolePages.TabToAsync(page, "nav button[data-view='users-view']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await ConsolePages.TabToAsync(page, "#users-search");
        await page.Keyboard.TypeAsync("typist");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#users-status", new() { HasTextString = "1 user found" }).WaitForAsync();
        await ConsolePages.TabToAsync(page, "button[aria-label='Open typist@support.example']");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#user-heading", new() { HasTextString = "typist@support.example" }).WaitForAsync();
        await ConsolePages.TabToAsync(page, "#user-forget-browsers");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#user-dialog[open]").WaitForAsync();
        await ConsolePages.TabToAsync(page, "#user-dialog-confirm", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#user-action-result", new() { HasTextString = "Forgot 0 remembered browsers" }).WaitForAsync();

        await ConsolePages.TabToAsync(page, "nav button[data-view='audit-view']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await ConsolePages.TabToAsync(page, "#audit-action");
        await page.Keyboard.TypeAsync("mfa");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#audit-status", new() { HasTextString = "(action mfa)." }).WaitForAsync();
        var events = await page.Locator("#audit-table tbody tr td:nth-child(2)").AllInnerTextsAsync();
        var violations = await console.ShotAndAxeAsync(page, "13-keyboard-audit");
        var rule = await api.GetAsync("/rules/060-keys");

        Assert.Multiple(() =>
        {
            Assert.That(diffFocused, Is.EqualTo("versions-diff-text"), "the diff takes the focus, to be read");
            Assert.That(focusInDialog, Is.EqualTo("rollback-cancel"), "the confirmation opens on Cancel");
            Assert.That(dialogClosed, Is.True, "Esc closes it");
            Assert.That(rule.Json["version"]!.GetValue<int>(), Is.EqualTo(2), "nothing rolled back without confirming");
            Assert.That(events, Is.Not.Empty.And.All.StartWith("mfa."));
            Assert.That(events, Does.Contain("mfa.remembered-browsers-revoked"));
            Assert.That(violations, Is.Empty);
        });
    }

    /// <summary>Adds <paramref name="count"/> audit events by <c>client:ci-seeded</c>, numbered in <c>detail</c>, one a second from now.</summary>
    private Task SeedAuditAsync(int count, string action) => server.WithServicesAsync(async services =>
    {
        var database = services.GetRequiredService<RulesMfaDbContext>();
        var now = DateTimeOffset.UtcNow;
        database.Audit.AddRange(Enumerable.Range(0, count).Select(index => new AuditRecord
        {
            TenantId = Tenant, At = now.AddSeconds(index), Actor = "client:ci-seeded", Action = action, Target = "050-release", Detail = $"seeded {index}",
        }));
        return await database.SaveChangesAsync();
    });
}
