using Microsoft.Playwright;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>The hosted pages in a real browser (Debian's Chromium, driven by Playwright): what a person does and sees.</summary>
[NonParallelizable]
[Category("Browser")]
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    public async Task Browser_AdminOfTheDemoTenant_EnrollsAnAuthenticatorAppAndSignsIn()
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is missing: run ./test.sh, which installs Debian's chromium with apt-get.");
        await using var server = await RulesMfaServer.StartAsync();
        await using var app = await RelyingParty.StartAsync(server, DemoTenantSeeder.TenantId, "browser-web");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

        await page.GotoAsync(app.BaseUrl + "/login");
        await page.GetByLabel("Email").FillAsync(DemoTenantSeeder.UserEmail);
        await page.GetByLabel("Password").FillAsync(RulesMfaServer.DemoPassword);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "1-login.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync("**/demo/mfa/enroll**");
        var qrLoaded = await page.GetByAltText("QR code to add this account to an authenticator app").EvaluateAsync<bool>("image => image.complete && image.naturalWidth > 0");
        var key = await page.Locator("#secret-key").InnerTextAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "2-enroll.png"), FullPage = true });
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key.Replace(" ", ""))).ComputeTotp());
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Confirm" }).ClickAsync();

        var recoveryCode = await page.Locator("#recovery-code").InnerTextAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "3-recovery-code.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "I have saved it, continue" }).ClickAsync();
        await page.WaitForURLAsync(app.BaseUrl + "/");
        var claims = await page.Locator("tbody").InnerTextAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "4-signed-in.png"), FullPage = true });

        Assert.Multiple(() =>
        {
            Assert.That(qrLoaded, Is.True, "the QR code image renders");
            Assert.That(recoveryCode, Does.Match("^[2-9A-Z]{4}(-[2-9A-Z]{4}){5}$"));
            Assert.That(claims, Does.Contain("amr\tmfa").Or.Contain("amr\totp"), claims);
            Assert.That(claims, Does.Contain("http://schemas.openid.net/pape/policies/2007/06/multi-factor"));
        });
    }
}
