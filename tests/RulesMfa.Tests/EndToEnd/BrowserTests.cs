using Microsoft.Playwright;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The whole journey in a real browser (Debian's Chromium, driven by Playwright), the way a person does it; a
/// full-page screenshot of each page is kept in the test output (<c>screenshots/</c>).
/// </summary>
[NonParallelizable]
[Category("Browser")]
public sealed class BrowserTests
{
    private const string Email = "journey@journey.example";
    private const string Password = "a long enough password";
    private const string RememberableMfa = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: true }; callback(null, user, context); }";

    private IPage page = null!;
    private string screenshots = "";
    private int shot;

    [Test]
    public async Task Journey_EnrollSignInRememberSwitchToEmailAndGetLockedOut()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("journey", displayName: "Journey Inc.");
        await server.SetRulesAsync("journey", ("010-mfa", RememberableMfa));
        await server.AddUserAsync("journey", Email, Password);
        await using var app = await RelyingParty.StartAsync(server, "journey", "journey-web");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        page = await browser.NewPageAsync();
        screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

        // 1. First sign-in: enroll an authenticator app from the page, see the recovery code.
        await SignInAsync(app.BaseUrl + "/login");
        await page.WaitForPageAsync("**/journey/mfa/enroll**", page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        // Whether the image renders, once it has loaded or failed to (the page is used before its load event).
        var qrLoaded = await page.GetByAltText("QR code to add this account to an authenticator app").EvaluateAsync<bool>(
            "image => image.complete ? image.naturalWidth > 0 : new Promise((resolve) => { image.addEventListener('load', () => resolve(image.naturalWidth > 0)); image.addEventListener('error', () => resolve(false)); })");
        var key = OtpNet.Base32Encoding.ToBytes((await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", ""));
        await ShotAsync("enroll");
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(LoginFlow.CodeFor(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        var recoveryCode = await page.Locator("#recovery-code").InnerTextAsync();
        await ShotAsync("recovery-code");
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).ClickAsync();
        await SignedInAsync(app);
        var firstClaims = await page.Locator("tbody").InnerTextAsync();
        await ShotAsync("signed-in");
        await SignOutAsync(app);

        // 2. Sign in again with a code, ticking "remember this browser".
        await SignInAsync(app.BaseUrl + "/login");
        await page.WaitForPageAsync("**/journey/mfa?**", page.GetByLabel("Code from your authenticator app"));
        await page.GetByLabel("Code from your authenticator app").FillAsync(LoginFlow.CodeFor(key, 1));
        await page.GetByLabel("Remember this browser for 30 days").CheckAsync();
        await ShotAsync("challenge");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await SignedInAsync(app);
        await SignOutAsync(app);

        // 3. The remembered browser signs in without a challenge.
        await SignInAsync(app.BaseUrl + "/login");
        await SignedInAsync(app);
        var rememberedClaims = await page.Locator("tbody").InnerTextAsync();
        await ShotAsync("remembered");
        await SignOutAsync(app);

        // 4. Step-up ignores the remembered browser; "try another method" switches to an emailed code.
        await SignInAsync(app.BaseUrl + "/login?stepup=1");
        await page.WaitForPageAsync("**/journey/mfa?**", page.GetByRole(AriaRole.Link, new() { Name = "Email" }));
        await page.GetByRole(AriaRole.Link, new() { Name = "Email" }).ClickAsync();
        await ShotAsync("email-choice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a code" }).ClickAsync();
        await page.GetByLabel("Code we emailed to", new() { Exact = false }).FillAsync(LoginFlow.EmailedCode(server, Email));
        await ShotAsync("email-code");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await SignedInAsync(app);
        var emailClaims = await page.Locator("tbody").InnerTextAsync();
        await SignOutAsync(app);

        // 5. Wrong codes until the attempts run out. Each code is sent from a page whose code field is marked first; the answer
        // is a new page, with an unmarked code field, or without one saying the attempts ran out.
        await SignInAsync(app.BaseUrl + "/login?stepup=1");
        var code = page.GetByLabel("Code from your authenticator app");
        await page.WaitForPageAsync("**/journey/mfa?**", code);
        var tooMany = page.Locator("#mfa-error", new() { HasTextString = "Too many attempts." });
        for (var attempt = 0; attempt < 11 && !await tooMany.IsVisibleAsync(); attempt++)
        {
            await code.FillAsync("000000");
            await code.EvaluateAsync("field => { field.dataset.sent = 'true'; }");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await tooMany.Or(page.Locator("#code:not([data-sent])")).WaitForAsync();
        }

        var lockedOut = await page.Locator("#mfa-error").InnerTextAsync();
        await ShotAsync("too-many-attempts");

        Assert.Multiple(() =>
        {
            Assert.That(qrLoaded, Is.True, "the QR code image renders");
            Assert.That(recoveryCode, Does.Match("^[2-9A-Z]{4}(-[2-9A-Z]{4}){5}$"));
            Assert.That(firstClaims, Does.Contain("amr\tmfa").And.Contain("http://schemas.openid.net/pape/policies/2007/06/multi-factor"));
            Assert.That(rememberedClaims, Does.Contain("amr\tpwd").And.Not.Contain("amr\tmfa"), "a remembered browser skips MFA, and the token says so");
            Assert.That(emailClaims, Does.Contain("amr\tmfa"));
            Assert.That(lockedOut, Does.StartWith("Too many attempts."));
            Assert.That(Directory.GetFiles(screenshots, "journey-*.png"), Has.Length.EqualTo(shot));
        });
    }

    private async Task SignInAsync(string appLoginUrl)
    {
        // The page the app's sign-in ends on is known at commit (the server's redirects followed): the sign-in form, or a
        // page on the way back to the app when the browser still has a session.
        await page.GotoAsync(appLoginUrl, new() { WaitUntil = WaitUntilState.Commit });
        if (!page.Url.Contains("/journey/login", StringComparison.Ordinal))
        {
            return;
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).WaitForAsync();
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        if (shot == 0)
        {
            await ShotAsync("login");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private async Task SignOutAsync(RelyingParty app)
    {
        await page.GotoAsync(app.BaseUrl + "/logout", new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForPageAsync(app.BaseUrl + "/", page.GetByText("You are not signed in."));
    }

    /// <summary>Waits for the app's page that lists the signed-in user's claims.</summary>
    private Task SignedInAsync(RelyingParty app) => page.WaitForPageAsync(app.BaseUrl + "/", page.Locator("tbody"));

    private Task ShotAsync(string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"journey-{++shot:00}-{name}.png"), FullPage = true });
}
