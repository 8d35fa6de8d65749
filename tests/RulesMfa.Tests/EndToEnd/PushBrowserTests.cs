using Microsoft.Playwright;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The push pages in Debian's Chromium: each waits for the companion device (run as a separate process) and moves on by
/// itself, polling the device API, with no click. Screenshots of each page in the test output (<c>screenshots/push-*.png</c>).
/// </summary>
[NonParallelizable]
[Category("Browser")]
public sealed class PushBrowserTests
{
    private const string Password = "a long enough password";
    private const string Owner = "owner@push.example";

    [Test]
    public async Task WaitingPages_MoveOnByThemselves_OnceTheDeviceEnrollsAndApproves()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("push", new TenantSettings { EnabledFactors = [FactorType.PushNotification, FactorType.RecoveryCode] }, displayName: "Push Inc.");
        await server.SetRulesAsync("push", ("010-guardian", "function (user, context, callback) { context.multifactor = { provider: 'guardian' }; callback(null, user, context); }"));
        await server.AddUserAsync("push", Owner, Password);
        await using var app = await RelyingParty.StartAsync(server, "push", "push-web");
        using var folder = new TempFolder();
        var device = new PushDevice(Path.Combine(folder.Path, "device.json"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        foreach (var earlier in Directory.Exists(screenshots) ? Directory.GetFiles(screenshots, "push-*.png") : [])
        {
            File.Delete(earlier);
        }

        Task ShotAsync(string name) => page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"push-{name}.png"), FullPage = true });

        // Enrollment: the page shows the code; the device enrolls; the page goes on to the recovery code by itself.
        await SignInAsync(page, app);
        await page.WaitForPageAsync("**/push/mfa/enroll**", page.Locator("#push-enrollment-uri"));
        var uri = await page.Locator("#push-enrollment-uri").InnerTextAsync();
        await ShotAsync("1-enroll-waiting");
        await device.RunOkAsync("enroll", uri);
        await page.Locator("#recovery-code").WaitForAsync(new() { Timeout = 20_000 });
        await ShotAsync("2-enrolled-recovery-code");
        await page.ClickAsync("#continue");
        await page.WaitForPageAsync(app.BaseUrl + "/", page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }));
        await page.GotoAsync(app.BaseUrl + "/logout", new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForPageAsync(app.BaseUrl + "/", page.GetByText("You are not signed in."));

        // Sign-in: the page shows the digits and waits; the device approves; the page goes on to the app by itself.
        await SignInAsync(page, app);
        await page.WaitForPageAsync("**/push/mfa?**", page.Locator("#push-digits"));
        var digits = await page.Locator("#push-digits").InnerTextAsync();
        await ShotAsync("3-challenge-waiting");
        await device.RunOkAsync("approve", await device.PendingIdAsync(), "--digits", digits);
        await page.WaitForPageAsync(app.BaseUrl + "/", page.Locator("tbody"), timeout: 20_000);
        await ShotAsync("4-signed-in");
        var claims = await page.Locator("tbody").InnerTextAsync();

        Assert.Multiple(() =>
        {
            Assert.That(digits, Does.Match("^[0-9]{2}$"));
            Assert.That(claims, Does.Contain("amr\tswk").And.Contain("amr\tmfa"));
            Assert.That(Directory.GetFiles(screenshots, "push-*.png"), Has.Length.EqualTo(4));
        });
    }

    private static async Task SignInAsync(IPage page, RelyingParty app)
    {
        await page.GoToPageAsync(app.BaseUrl + "/login", page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
        await page.GetByLabel("Email").FillAsync(Owner);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
