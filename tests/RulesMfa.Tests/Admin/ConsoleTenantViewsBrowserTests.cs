using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The console's configuration, settings and branding views in Chromium at 1280 px, under the console's real CSP: secrets
/// are listed as set, never shown; a setting over this server's cap is refused beside its field; a template with a script is
/// refused beside the template with its line and column, a good one previewed and then seen around the real sign-in page.
/// Then axe-core on each view and on the branded sign-in page, and a keyboard-only pass through the three views.
/// </summary>
[NonParallelizable]
[Category("Browser")]
public sealed class ConsoleTenantViewsBrowserTests
{
    private const string Tenant = "brandco";
    private const string Password = ConsoleBrowserServer.Password;
    private const string Secret = "s3cr3t-typed-in-the-browser";
    private const string Template = "<div class=\"frame\">\n  <p id=\"banner\">Welcome to {{ tenant.name }}</p>\n  {{ content }}\n</div>";

    private ConsoleBrowserServer site = null!;
    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;
    private IBrowser browser = null!;
    private ConsolePages console = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        site = await ConsoleBrowserServer.StartAsync(Tenant, "Brand Co", "brandco.example", ["config", "settings", "branding", "axe", "keys"], "tenant-views",
            "--Sandbox:Maximums:RuleTimeout", "00:00:02");
        (server, api, browser, console) = (site.Server, site.Api, site.Browser, site.Console);
        await api.PutAsync("/rules/010-allow", new { source = "function (user, context, callback) {\n  callback(null, user, context);\n}\n" });
    }

    [OneTimeTearDown]
    public Task StopAsync() => site.DisposeAsync().AsTask();

    [Test]
    public async Task Configuration_SecretListedAsSetNeverShown_BadNameRefusedBesideIt_PlainValueDeleted()
    {
        var page = await site.OpenAsync("config", bypassCsp: false);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await OpenConfigurationAsync(page);

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("API_KEY");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync(Secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save value" }).ClickAsync();
        await page.Locator("#configuration-table tr[data-name='API_KEY']").WaitForAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("REGION");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync("eu");
        await page.GetByLabel("Secret: write-only, never shown again").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save value" }).ClickAsync();
        await page.Locator("#configuration-table tr[data-name='REGION']").WaitForAsync();
        await page.ReloadPageAsync(page.Locator("#rule-list button").First);
        await OpenConfigurationAsync(page);
        var secretRow = await page.Locator("#configuration-table tr[data-name='API_KEY'] td").AllInnerTextsAsync();
        var plainRow = await page.Locator("#configuration-table tr[data-name='REGION'] td").AllInnerTextsAsync();
        var pageText = await page.ContentAsync();
        await console.ShotAsync(page, "configuration");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("1-bad name");
        await page.GetByLabel("Value", new() { Exact = true }).FillAsync("x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save value" }).ClickAsync();
        await page.Locator("#configuration-name-error:not(:empty)").WaitForAsync();
        var nameError = await page.Locator("#configuration-name-error").InnerTextAsync();
        var nameInvalid = await page.GetByLabel("Name", new() { Exact = true }).GetAttributeAsync("aria-invalid");
        await console.ShotAsync(page, "configuration-refused");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete REGION" }).ClickAsync();
        await page.Locator("#configuration-status", new() { HasTextString = "REGION deleted." }).WaitForAsync();
        var listed = await api.GetAsync("/configuration");

        Assert.Multiple(() =>
        {
            Assert.That(secretRow.Take(3), Is.EqualTo(new[] { "API_KEY", "secret", "set (write-only)" }));
            Assert.That(secretRow[3], Does.Match(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"), "when it was set");
            Assert.That(plainRow.Take(3), Is.EqualTo(new[] { "REGION", "plain", "eu" }));
            Assert.That(pageText, Does.Not.Contain(Secret), "the page never holds the secret once saved");
            Assert.That(nameError, Is.EqualTo("use 1 to 64 letters, digits and underscores, not starting with a digit"));
            Assert.That(nameInvalid, Is.EqualTo("true"));
            Assert.That(listed.Json.AsArray().Select(entry => entry!["name"]!.GetValue<string>()), Does.Contain("API_KEY").And.Not.Contain("REGION"));
        });
    }

    // The view lists the values when shown; its rows are read, and typed beside, only once that list has answered.
    private static async Task OpenConfigurationAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Configuration", Exact = true }).ClickAsync();
        await page.Locator("#configuration-status:not(:empty)").WaitForAsync();
    }

    [Test]
    public async Task Settings_EachFieldShowsItsCap_OneOverItIsRefusedBesideIt_ThenSaved()
    {
        var page = await site.OpenAsync("settings", bypassCsp: false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Settings", Exact = true }).ClickAsync();
        // What is typed before the stored settings have filled the form is replaced by them.
        await page.Locator("#settings-form:not([aria-busy])").WaitForAsync();
        var ruleTimeout = page.GetByLabel("Time per rule (ms)");
        var cap = await page.Locator("#settings-cap-limits-ruleTimeout").InnerTextAsync();
        var rememberCap = await page.Locator("#settings-cap-rememberBrowserDays").InnerTextAsync();

        await ruleTimeout.FillAsync("3000");
        await page.GetByLabel("Remember a browser for (days)").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await page.Locator("#settings-error-limits-ruleTimeout:not(:empty)").WaitForAsync();
        var refusal = await page.Locator("#settings-error-limits-ruleTimeout").InnerTextAsync();
        var (invalid, describedBy, focused) = (await ruleTimeout.GetAttributeAsync("aria-invalid"), await ruleTimeout.GetAttributeAsync("aria-describedby"),
            await page.EvaluateAsync<string>("() => document.activeElement.id"));
        var afterRefusal = await api.GetAsync("/settings");
        await console.ShotAsync(page, "settings-refused");
        await ruleTimeout.FillAsync("1500");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await page.Locator("#settings-status", new() { HasTextString = "Settings saved" }).WaitForAsync();
        await console.ShotAsync(page, "settings-saved");
        var saved = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(cap, Is.EqualTo("This server's cap: at most 2,000 ms, at least 1 ms."));
            Assert.That(rememberCap, Is.EqualTo("This server's cap: at most 365 days, at least 1 days."));
            Assert.That(refusal, Is.EqualTo("must be at most 00:00:02, this server's maximum"));
            Assert.That(invalid, Is.EqualTo("true"));
            Assert.That(describedBy, Does.Contain("settings-error-limits-ruleTimeout"));
            Assert.That(focused, Is.EqualTo("settings-limits-ruleTimeout"), "the refused field takes the focus");
            Assert.That(afterRefusal.Json["rememberBrowserDays"]!.GetValue<int>(), Is.EqualTo(30), "nothing saved while a field is refused");
            Assert.That(saved.Json["limits"]!["ruleTimeout"]!.GetValue<string>(), Is.EqualTo("00:00:01.5000000"));
            Assert.That(saved.Json["rememberBrowserDays"]!.GetValue<int>(), Is.EqualTo(7));
        });
    }

    [Test]
    public async Task Branding_ScriptRefusedBesideTheTemplate_GoodOnePreviewedSavedAndAroundTheRealSignInPage()
    {
        var page = await site.OpenAsync("branding", bypassCsp: false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Branding", Exact = true }).ClickAsync();
        // What is typed before the stored branding has filled the form is replaced by it (and the name shown would differ).
        await page.Locator("#branding-form:not([aria-busy])").WaitForAsync();
        var template = page.GetByLabel("Page template (Liquid; empty: the default layout)");
        await page.GetByLabel("Friendly name").FillAsync("Brand Co Europe");
        await page.GetByLabel("Primary colour (#rrggbb; empty: the default)").FillAsync("#7a1f5c");
        await template.FillAsync("<p>Hi</p>\n<img src=\"x.png\" onerror=\"steal()\">{{ content }}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save branding" }).ClickAsync();
        await page.Locator("#branding-error-pageTemplate:not(:empty)").WaitForAsync();
        var refusal = await page.Locator("#branding-error-pageTemplate").InnerTextAsync();
        var invalid = await template.GetAttributeAsync("aria-invalid");
        await console.ShotAsync(page, "branding-refused");

        await template.FillAsync(Template);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        var preview = page.FrameLocator("#branding-preview");
        await preview.Locator("#banner", new() { HasTextString = "Welcome to Brand Co Europe" }).WaitForAsync();
        var previewButton = await preview.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).EvaluateAsync<string>("(button) => getComputedStyle(button).backgroundColor");
        await console.ShotAsync(page, "branding-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save branding" }).ClickAsync();
        await page.Locator("#branding-status", new() { HasTextString = "Branding saved" }).WaitForAsync();
        var stored = await api.GetAsync("/branding");

        var visitor = await ConsolePages.NewPageAsync(browser, bypassCsp: false);
        await visitor.GoToPageAsync($"{server.Issuer(Tenant)}/admin", visitor.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
        var banner = await visitor.Locator(".frame #banner").InnerTextAsync();
        var formInFrame = await visitor.Locator(".frame form #password").CountAsync();
        await console.ShotAsync(visitor, "branding-sign-in-page");

        Assert.Multiple(() =>
        {
            Assert.That(refusal, Is.EqualTo("Line 2, column 18: must not contain an inline event handler (onerror=): the hosted pages run no script of a template"));
            Assert.That(invalid, Is.EqualTo("true"));
            Assert.That(previewButton, Is.EqualTo("rgb(122, 31, 92)"), "the preview's buttons take the primary colour");
            Assert.That(stored.Json["pageTemplate"]!.GetValue<string>(), Is.EqualTo(Template));
            Assert.That(stored.Json["primaryColor"]!.GetValue<string>(), Is.EqualTo("#7a1f5c"));
            Assert.That(banner, Is.EqualTo("Welcome to Brand Co Europe"));
            Assert.That(formInFrame, Is.EqualTo(1), "the real sign-in form inside the template");
        });
    }

    [Test]
    public async Task Axe_ConfigurationSettingsBrandingAndTheBrandedSignInPage_NoSeriousOrCriticalViolation()
    {
        await api.PutAsync("/configuration/AXE_SECRET", new { value = "hidden", secret = true });
        await api.PutAsync("/branding", new { displayName = "Brand Co", primaryColor = "#1d5e3a", logoUrl = "https://brandco.example/logo.png", pageTemplate = Template });
        var page = await site.OpenAsync("axe", bypassCsp: true);
        var violations = new Dictionary<string, IReadOnlyList<string>>();
        async Task CheckAsync(IPage checkedPage, string name)
        {
            violations[name] = await AxeCheck.SeriousViolationsAsync(checkedPage);
            await console.ShotAsync(checkedPage, $"axe-{name}");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Configuration", Exact = true }).ClickAsync();
        await page.Locator("#configuration-table tr[data-name='AXE_SECRET']").WaitForAsync();
        await CheckAsync(page, "configuration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Settings", Exact = true }).ClickAsync();
        await page.Locator("#settings-form:not([aria-busy])").WaitForAsync();
        await CheckAsync(page, "settings");
        await page.GetByRole(AriaRole.Button, new() { Name = "Branding", Exact = true }).ClickAsync();
        await page.FrameLocator("#branding-preview").Locator("#banner").WaitForAsync();
        await CheckAsync(page, "branding");
        var visitor = await ConsolePages.NewPageAsync(browser);
        await visitor.GoToPageAsync($"{server.Issuer(Tenant)}/admin", visitor.Locator(".frame").GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
        await CheckAsync(visitor, "branded-sign-in");

        Assert.That(violations.Where(view => view.Value.Count > 0).Select(view => $"{view.Key}: {string.Join("; ", view.Value)}"), Is.Empty);
    }

    [Test]
    public async Task Keyboard_Only_SavesAValue_ChangesASetting_AndPreviewsTheBranding()
    {
        var page = await site.OpenAsync("keys", bypassCsp: false);

        // From here on, the keyboard only.
        await ConsolePages.TabToAsync(page, "nav button[data-view='configuration-view']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await ConsolePages.TabToAsync(page, "#configuration-name");
        await page.Keyboard.TypeAsync("KEYBOARD_KEY");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("typed");
        await ConsolePages.TabToAsync(page, "#configuration-save");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#configuration-table tr[data-name='KEYBOARD_KEY']").WaitForAsync();
        await ConsolePages.TabToAsync(page, "button[aria-label='Replace KEYBOARD_KEY']");
        await page.Keyboard.PressAsync("Enter");
        var focusAfterReplace = await page.EvaluateAsync<string>("() => document.activeElement.id");

        await ConsolePages.TabToAsync(page, "nav button[data-view='settings-view']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#settings-form:not([aria-busy])").WaitForAsync();
        await ConsolePages.TabToAsync(page, "#settings-limits-maxLogEntries");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("50");
        await ConsolePages.TabToAsync(page, "#settings-save");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#settings-status", new() { HasTextString = "Settings saved" }).WaitForAsync();

        await ConsolePages.TabToAsync(page, "nav button[data-view='branding-view']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#branding-form:not([aria-busy])").WaitForAsync();
        await ConsolePages.TabToAsync(page, "#branding-displayName");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Keyboard Co");
        await ConsolePages.TabToAsync(page, "#branding-preview-button");
        await page.Keyboard.PressAsync("Enter");
        await page.FrameLocator("#branding-preview").Locator("body", new() { HasTextString = "Keyboard Co" }).WaitForAsync();
        await console.ShotAsync(page, "keyboard-branding-preview");
        var configuration = await api.GetAsync("/configuration");
        var settings = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(configuration.Json.AsArray().Select(entry => entry!["name"]!.GetValue<string>()), Does.Contain("KEYBOARD_KEY"));
            Assert.That(focusAfterReplace, Is.EqualTo("configuration-value"), "Replace puts the focus on the value to type");
            Assert.That(settings.Json["limits"]!["maxLogEntries"]!.GetValue<int>(), Is.EqualTo(50));
        });
    }
}
