using Microsoft.Playwright;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>What browser tests of the console do first and often: sign in as an admin, and move the focus with Tab alone.</summary>
internal static class ConsoleSession
{
    /// <summary>Opens the console as <paramref name="email"/> through the tenant's login, enrolling an authenticator app.</summary>
    public static async Task SignInAsync(IPage page, string issuer, string email, string password)
    {
        await page.GotoAsync($"{issuer}/admin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/mfa/enroll**");
        var key = OtpNet.Base32Encoding.ToBytes((await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", ""));
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(LoginFlow.CodeFor(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).ClickAsync();
        await page.WaitForURLAsync($"{issuer}/admin");
        await page.Locator("#rule-list button").First.WaitForAsync();
    }

    /// <summary>
    /// Presses Tab (or Shift+Tab) until the focused element matches <paramref name="selector"/>, pressing Esc first whenever the
    /// focus is in the rule editor (as its label says); how many presses it took.
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

            trail.Add(await page.EvaluateAsync<string>("() => document.activeElement.tagName + '#' + document.activeElement.id"));
        }

        throw new AssertionException($"{selector} was not reached with {(backwards ? "Shift+Tab" : "Tab")} in 80 presses: {string.Join(" ", trail)}");
    }
}
