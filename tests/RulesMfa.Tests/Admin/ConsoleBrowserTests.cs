using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RulesMfa.Tests.Support;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The sandbox console in a real browser (Debian's Chromium through Playwright): an admin signs in through the
/// tenant's login with MFA, types a rule with a syntax error and sees its line marked, fixes it, runs it against a
/// real user, reads the decision and the trace, and saves the run as a test case of the rule.
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

    private IPage page = null!;
    private string screenshots = "";
    private int shot;

    [Test]
    public async Task Console_MarkTheSyntaxError_FixRunAgainstARealUser_SaveAsTestCase()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Console Inc.");
        await server.AddUserAsync(Tenant, AdminEmail, Password, isAdmin: true);
        await server.AddUserAsync(Tenant, "member@console.example", Password);
        using var api = await AdminApiClient.CreateAsync(server, Tenant);
        await api.PutAsync("/rules/010-allow", new { source = "function (user, context, callback) {\n  callback(null, user, context);\n}\n" });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

        // Sign in through the tenant's own login; the console always asks for MFA (here: enroll an authenticator app).
        await page.GotoAsync($"{server.Issuer(Tenant)}/admin");
        await page.GetByLabel("Email").FillAsync(AdminEmail);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**/{Tenant}/mfa/enroll**");
        var key = OtpNet.Base32Encoding.ToBytes((await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", ""));
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(LoginFlow.CodeFor(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).ClickAsync();
        await page.WaitForURLAsync($"{server.Issuer(Tenant)}/admin");
        await page.Locator("#rule-list li[data-rule='010-allow']").WaitForAsync();
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

        // Saved as a test case: the rule is saved with it, and the case passes on the server.
        await page.GetByLabel("Test case name").FillAsync("office IP asks for MFA");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as test case of the selected rule" }).ClickAsync();
        await page.Locator("#test-result.good").WaitForAsync();
        var testResult = await page.Locator("#test-result").InnerTextAsync();
        await ShotAsync("test-case-saved");
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
            Assert.That(testResult, Does.Contain("office IP asks for MFA"));
            Assert.That(saved.Json["source"]!.GetValue<string>(), Is.EqualTo(Fixed));
            Assert.That(saved.Json["tests"]!["cases"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("office IP asks for MFA"));
            Assert.That(saved.Json["tests"]!["cases"]![0]!["expect"]!["outcome"]!.GetValue<string>(), Is.EqualTo("mfa"));
            Assert.That(serverRun.Json["cases"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(serverRun.Json["failed"]!.GetValue<int>(), Is.EqualTo(0));
        });
    }

    /// <summary>Selects everything in the editor and pastes <paramref name="text"/>, as a person would.</summary>
    private async Task ReplaceEditorTextAsync(string text)
    {
        await page.Locator(".CodeMirror").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.InsertTextAsync(text);
    }

    /// <summary>The 1-based numbers of the editor lines marked as errors.</summary>
    private Task<int[]> MarkedLinesAsync() => page.EvaluateAsync<int[]>(
        "() => { const cm = document.querySelector('.CodeMirror').CodeMirror; const marked = [];"
        + " for (let i = 0; i < cm.lineCount(); i++) { if ((cm.lineInfo(i).bgClass || '').includes('cm-error-line')) { marked.push(i + 1); } } return marked; }");

    private Task ShotAsync(string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"console-{++shot:00}-{name}.png"), FullPage = true });
}
