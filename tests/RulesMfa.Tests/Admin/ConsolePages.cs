using Microsoft.Playwright;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// What browser tests of the console do first and often, in Chromium at 1280 px: sign in as an admin through the tenant's
/// login (enrolling an authenticator app), move the focus with Tab alone, and take a screenshot (with the axe-core check of
/// what is on screen), named <c>{screenshotPrefix}-{name}.png</c>.
/// </summary>
internal sealed class ConsolePages(RulesMfaServer server, string tenant, string password, string screenshotPrefix)
{
    private readonly string screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

    /// <summary>A 1280 px page; <paramref name="bypassCsp"/> lets axe-core be injected (the console's CSP rightly refuses inline scripts).</summary>
    public static Task<IPage> NewPageAsync(IBrowser browser, bool bypassCsp = true) =>
        browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BypassCSP = bypassCsp });

    /// <summary>Opens the console as <paramref name="email"/> (an admin who has no factor yet) through the tenant's login.</summary>
    public async Task SignInAsync(IPage page, string email)
    {
        await page.GoToPageAsync($"{server.Issuer(tenant)}/admin", page.GetByLabel("Email"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForPageAsync($"**/{tenant}/mfa/enroll**", page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        var key = OtpNet.Base32Encoding.ToBytes((await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", ""));
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(LoginFlow.CodeFor(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).ClickAsync();
        await page.WaitForPageAsync($"{server.Issuer(tenant)}/admin", page.Locator("#rule-list button").First);
    }

    /// <summary>Saves a full-page screenshot named <paramref name="name"/>.</summary>
    public Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"{screenshotPrefix}-{name}.png"), FullPage = true });

    /// <summary>Saves a full-page screenshot named <paramref name="name"/> and returns axe-core's serious and critical violations, each prefixed with it.</summary>
    public async Task<IReadOnlyList<string>> ShotAndAxeAsync(IPage page, string name)
    {
        await ShotAsync(page, name);
        return (await AxeCheck.SeriousViolationsAsync(page)).Select(violation => $"{name}: {violation}").ToList();
    }

    /// <summary>Whether the focus is in the rule editor, where Tab indents until Esc is pressed (as its label says).</summary>
    public static Task<bool> InEditorAsync(IPage page) => page.EvaluateAsync<bool>("() => !!document.activeElement.closest('.CodeMirror')");

    /// <summary>
    /// Presses Tab (or Shift+Tab) until the focused element matches <paramref name="selector"/>, pressing Esc first whenever the
    /// focus is in the editor; how many presses it took.
    /// </summary>
    public static async Task<int> TabToAsync(IPage page, string selector, bool backwards = false)
    {
        var trail = new List<string>();
        for (var presses = 1; presses <= 80; presses++)
        {
            if (await InEditorAsync(page))
            {
                await page.Keyboard.PressAsync("Escape");
            }

            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await page.EvaluateAsync<bool>("(selector) => document.activeElement.matches(selector)", selector))
            {
                return presses;
            }

            trail.Add(await page.EvaluateAsync<string>("() => document.activeElement.tagName + '#' + document.activeElement.id + '.' + document.activeElement.textContent.slice(0, 20)"));
        }

        throw new AssertionException($"{selector} was not reached with {(backwards ? "Shift+Tab" : "Tab")} in 80 presses: {string.Join(" | ", trail)}");
    }
}
