using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Factors;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// A security team that lowers the tenant's remember-browser days no longer trusts browsers for longer: one remembered
/// before the change skips MFA only for the new days, counted from when it was remembered.
/// </summary>
[NonParallelizable]
public sealed class RememberBrowserDaysLoweredTests
{
    private const string Tenant = "shorter";
    private const string Email = "kept@shorter.example";
    private const string Password = "a long enough password";
    private const string MfaRememberable = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: true }; callback(null, user, context); }";

    private ManualTimeProvider clock = null!;
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        server = await RulesMfaServer.StartAsync(clock);
        await server.AddTenantAsync(Tenant, new TenantSettings { RememberBrowserDays = 30 });
        await server.SetRulesAsync(Tenant, ("010-mfa", MfaRememberable));
        app = await RelyingParty.StartAsync(server, Tenant, "shorter-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task BrowserRememberedForThirtyDays_TenantLowersThemToOne_IsAskedForMfaTwoDaysLater()
    {
        await server.AddUserAsync(Tenant, Email, Password);
        byte[] key;
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, app, Email, Password);
            key = LoginFlow.KeyFrom(enrollment);
            await LoginFlow.SubmitCodeAsync(enrolling, enrollment, LoginFlow.CodeFor(key));
        }

        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, Email, Password);
        await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key, 1), ["RememberBrowser"] = "true" }, formWithField: "Code");
        await browser.GetAsync(app.BaseUrl + "/logout");

        await server.SetSettingsAsync(Tenant, new TenantSettings { RememberBrowserDays = 1 });
        var sameDay = await LoginFlow.SignInAsync(browser, app, Email, Password);
        await browser.GetAsync(app.BaseUrl + "/logout");
        clock.Advance(TimeSpan.FromDays(2));
        var twoDaysLater = await LoginFlow.SignInAsync(browser, app, Email, Password);

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), challenge.Html);
            Assert.That(sameDay.Url.GetLeftPart(UriPartial.Authority), Is.EqualTo(app.BaseUrl), "remembered: within the one day the tenant now allows");
            Assert.That(twoDaysLater.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), "the 30 days it was remembered for no longer hold: " + twoDaysLater.Html);
        });
    }
}
