using Microsoft.Playwright;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The console in Chromium at 1280 px for the support views' tests: signing in as an admin through the tenant's login
/// (enrolling an authenticator app), moving by keyboard, and a screenshot with the axe-core check of what is on screen.
/// </summary>
internal sealed class ConsolePages(RulesMfaServer server, string tenant, string password)
{
    private readonly string screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

    /// <summary>A 1280 px page whose context lets axe-core be injected (the console's CSP rightly refuses inline scripts).</summary>
    public static Task<IPage> NewPageAsync(IBrowser browser) =>
        browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BypassCSP = true });

    /// <summary>Opens the console as <paramref name="email"/> (an admin who has no factor yet) through the tenant's login.</summary>
    public async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync($"{server.Issuer(tenant)}/admin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**/{tenant}/mfa/enroll**");
        var key = OtpNet.Base32Encoding.ToBytes((await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", ""));
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(LoginFlow.CodeFor(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).ClickAsync();
        await page.WaitForURLAsync($"{server.Issuer(tenant)}/admin");
        await page.Locator("#rule-list button").First.WaitForAsync();
    }

    /// <summary>Saves a full-page screenshot named <paramref name="name"/> and returns axe-core's serious and critical violations, each prefixed with it.</summary>
    public async Task<IReadOnlyList<string>> ShotAndAxeAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"support-{name}.png"), FullPage = true });
        return (await AxeCheck.SeriousViolationsAsync(page)).Select(violation => $"{name}: {violation}").ToList();
    }

    /// <summary>
    /// Presses Tab (or Shift+Tab) until the focused element matches <paramref name="selector"/> (Esc first whenever the focus is
    /// in the editor, as its label says); how many presses it took.
    /// </summary>
    public static async Task<int> TabToAsync(IPage page, string selector, bool backwards = false)
    {
        var trail = new List<string>();
        for (var presses = 1; presses <= 80; presses++)
        {
            if (await page.EvaluateAsync<bool>("() => !!document.activeElement.closest('.CodeMirror')"))
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
