using Microsoft.Playwright;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The console and the hosted pages for people who use a keyboard or assistive technology, in Chromium at 1280 px: axe-core
/// finds no serious or critical violation on any of them, and a keyboard-only pass reaches the rule list, edits in the
/// editor (Tab indents; Esc then Tab leaves it), runs the draft and opens the other sections.
/// </summary>
[NonParallelizable]
[Category("Browser")]
public sealed class ConsoleAccessibilityTests
{
    private const string Tenant = "a11y";
    private const string AdminEmail = "admin@a11y.example";
    private const string KeyboardAdminEmail = "keys@a11y.example";
    private const string LayoutAdminEmail = "layout@a11y.example";
    private const string Password = "a long enough password";

    private RulesMfaServer server = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private ConsolePages console = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "A11y Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        await server.AddUserAsync(Tenant, KeyboardAdminEmail, Password, isAdmin: true);
        await server.AddUserAsync(Tenant, LayoutAdminEmail, Password, isAdmin: true);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        await api.PutAsync("/rules/010-allow", new { source = "function (user, context, callback) {\n  callback(null, user, context);\n}\n" });
        playwright = await Playwright.CreateAsync();
        browser = await Chromium.LaunchAsync(playwright);
        console = new ConsolePages(server, Tenant, Password, "a11y");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Axe_HostedPagesAndEveryConsoleSection_NoSeriousOrCriticalViolation()
    {
        // axe is injected inline: only this test's browser context bypasses the pages' CSP.
        var page = await ConsolePages.NewPageAsync(browser);
        var violations = new Dictionary<string, IReadOnlyList<string>>();
        async Task CheckAsync(string name)
        {
            violations[name] = await AxeCheck.SeriousViolationsAsync(page);
            await console.ShotAsync(page, $"{violations.Count:00}-{name}");
        }

        await page.GoToPageAsync($"{server.Issuer(Tenant)}/admin", page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
        await CheckAsync("sign-in");
        await page.GetByLabel("Email").FillAsync(AdminEmail);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Email").WaitForAsync();
        await CheckAsync("sign-in-refused");
        await page.GetByLabel("Email").FillAsync(AdminEmail);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The URL, then the page's last control: waiting for the load event timed out once in CI (30 s, with the enroll page's
        // URL already reached and Playwright's network idle seen), so no lifecycle event is waited for here.
        await page.WaitForPageAsync($"**/{Tenant}/mfa/enroll**", page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        await CheckAsync("mfa-enroll");
        var key = OtpNet.Base32Encoding.ToBytes((await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", ""));
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(LoginFlow.CodeFor(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).WaitForAsync();
        await CheckAsync("recovery-code");
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).ClickAsync();
        await page.WaitForPageAsync($"{server.Issuer(Tenant)}/admin", page.Locator("#rule-list button").First);
        await CheckAsync("console");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.Locator("#outcome", new() { HasTextString = "allow" }).WaitForAsync();
        await CheckAsync("console-result");
        await page.GetByRole(AriaRole.Button, new() { Name = "Decision log", Exact = true }).ClickAsync();
        await page.Locator("#log-status", new() { HasTextString = "found" }).WaitForAsync();
        await CheckAsync("decision-log");
        await page.GetByRole(AriaRole.Button, new() { Name = "Backtest", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start backtest" }).ClickAsync();
        await page.Locator("#backtest-status", new() { HasTextString = "Done:" }).WaitForAsync();
        await CheckAsync("backtest");

        Assert.That(violations.Where(page => page.Value.Count > 0).Select(page => $"{page.Key}: {string.Join("; ", page.Value)}"), Is.Empty);
    }

    [Test]
    public async Task Keyboard_Only_ReachesTheRuleList_EditsAndLeavesTheEditor_RunsAndOpensTheDecisionLog()
    {
        var page = await ConsolePages.NewPageAsync(browser, bypassCsp: false);
        await console.SignInAsync(page, KeyboardAdminEmail);

        // From here on, the keyboard only.
        var toRuleList = await ConsolePages.TabToAsync(page, "#rule-list button[data-rule='010-allow']");
        await page.Keyboard.PressAsync("Enter");
        var selected = await page.Locator("#rule-list button[data-rule='010-allow']").GetAttributeAsync("aria-current");
        await ConsolePages.TabToAsync(page, ".CodeMirror textarea");
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("// typed");
        var inEditorAfterTab = await ConsolePages.InEditorAsync(page);
        var source = await page.EvaluateAsync<string>("() => document.querySelector('.CodeMirror').CodeMirror.getValue()");
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("Tab");
        var inEditorAfterEscTab = await ConsolePages.InEditorAsync(page);
        await ConsolePages.TabToAsync(page, "#run");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#outcome", new() { HasTextString = "allow" }).WaitForAsync();
        await ConsolePages.TabToAsync(page, "nav button[data-view='log-view']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#log-status", new() { HasTextString = "found" }).WaitForAsync();
        var logVisible = await page.Locator("#log-view").IsVisibleAsync();
        await console.ShotAsync(page, "keyboard-decision-log");

        Assert.Multiple(() =>
        {
            Assert.That(toRuleList, Is.LessThan(40), "the rule list is reached by Tab");
            Assert.That(selected, Is.EqualTo("true"), "Enter on a rule's button selects it");
            Assert.That(inEditorAfterTab, Is.True, "Tab alone indents inside the editor");
            Assert.That(source, Does.EndWith("\n  // typed"));
            Assert.That(inEditorAfterEscTab, Is.False, "Esc then Tab leaves the editor");
            Assert.That(logVisible, Is.True);
        });
    }

    [Test]
    public async Task FailedRuns_ClearTheResult_PutTheErrorBesideItsInput_AndTheEditorHasMostOfTheWidth()
    {
        var page = await ConsolePages.NewPageAsync(browser, bypassCsp: false);
        await console.SignInAsync(page, LayoutAdminEmail);
        var editorWidth = (await page.Locator(".CodeMirror").BoundingBoxAsync())!.Width;

        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.Locator("#outcome", new() { HasTextString = "allow" }).WaitForAsync();
        await page.GetByLabel("Clock (ISO 8601, empty: now)").FillAsync("next tuesday");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.Locator("#now-error:not(:empty)").WaitForAsync();
        var afterBadClock = (Outcome: await page.Locator("#outcome").InnerTextAsync(), Error: await page.Locator("#now-error").InnerTextAsync(),
            DescribedBy: await page.Locator("#now").GetAttributeAsync("aria-describedby"), Invalid: await page.Locator("#now").GetAttributeAsync("aria-invalid"),
            SaveEnabled: await page.Locator("#save-test").IsEnabledAsync());
        await console.ShotAsync(page, "bad-clock");
        await page.GetByLabel("Clock (ISO 8601, empty: now)").FillAsync("");
        await page.GetByLabel("Run against").SelectOptionAsync("template");
        await page.GetByLabel("Input: {\"user\": ..., \"context\": ...}").FillAsync("{\"user\": ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run", Exact = true }).ClickAsync();
        await page.Locator("#input-json-error:not(:empty)").WaitForAsync();
        var jsonError = await page.Locator("#input-json-error").InnerTextAsync();
        var jsonDescribedBy = await page.Locator("#input-json").GetAttributeAsync("aria-describedby");

        Assert.Multiple(() =>
        {
            Assert.That(editorWidth / 1280, Is.GreaterThan(0.6), $"the editor is {editorWidth} px wide at 1280 px");
            Assert.That(afterBadClock.Outcome, Is.EqualTo("—"), "a failed run clears the previous result");
            Assert.That(afterBadClock.Error, Is.Not.Empty);
            Assert.That(afterBadClock.DescribedBy, Is.EqualTo("now-error"));
            Assert.That(afterBadClock.Invalid, Is.EqualTo("true"));
            Assert.That(afterBadClock.SaveEnabled, Is.False, "no test case from a stale result");
            Assert.That(jsonError, Does.StartWith("not JSON"));
            Assert.That(jsonDescribedBy, Is.EqualTo("input-json-error"));
        });
    }
}
