using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The demo tenant, end to end: the real server on loopback, the sample app with the stock Microsoft
/// OpenIdConnect handler, and the hosted pages driven through their HTML forms.
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class DemoTenantLoginTests(StorageProvider provider)
{
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartOnAsync(provider);
        app = await RelyingParty.StartAsync(server, DemoTenantSeeder.TenantId, "e2e-web");
        await server.AddUserAsync(DemoTenantSeeder.TenantId, "reader@example.com", "reader password 1", new { roles = new[] { "reader" } });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Login_UserTheRulesDoNotAskMfaOf_GetsTokensWithPasswordOnly()
    {
        using var browser = new FormBrowser();

        await LoginFlow.SignInAsync(browser, app, "reader@example.com", "reader password 1");
        var me = await LoginFlow.MeAsync(browser, app);

        Assert.Multiple(() =>
        {
            Assert.That(LoginFlow.Amr(me), Is.EqualTo(new[] { "pwd" }));
            Assert.That(me.GetProperty("idToken").TryGetProperty("acr", out _), Is.False);
            Assert.That(me.GetProperty("idToken").GetProperty("iss").GetString(), Is.EqualTo(server.Issuer("demo")));
            Assert.That(me.GetProperty("idToken").GetProperty("auth_time").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Number));
        });
    }

    [Test]
    public async Task Login_WrongPassword_ShowsOneGenericMessage()
    {
        using var browser = new FormBrowser();

        var unknownUser = await LoginFlow.SignInAsync(browser, app, "nobody@example.com", "whatever");
        var wrongPassword = await LoginFlow.SignInAsync(browser, app, "reader@example.com", "not the password");

        Assert.Multiple(() =>
        {
            Assert.That(unknownUser.Text("login-error"), Is.EqualTo("Wrong email or password."));
            Assert.That(wrongPassword.Text("login-error"), Is.EqualTo(unknownUser.Text("login-error")));
        });
    }

    [Test]
    public async Task Login_AdminOfTheDemoTenant_EnrollsTotpThenUsesItThenARecoveryCode()
    {
        using var browser = new FormBrowser();

        // First login: the sample admin rule asks for MFA; nothing is enrolled, so the user enrolls an authenticator app.
        var enrollment = await LoginFlow.SignInAsync(browser, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword);
        Assert.That(enrollment.Url.AbsolutePath, Is.EqualTo("/demo/mfa/enroll"), enrollment.Html);
        var key = LoginFlow.KeyFrom(enrollment);
        var recoveryPage = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(key));
        var recoveryCode = recoveryPage.Text("recovery-code");
        Assert.That(recoveryCode, Is.Not.Null.And.Length.GreaterThanOrEqualTo(24), recoveryPage.Html);
        await browser.GetAsync(new Uri(recoveryPage.Url, recoveryPage.Document.GetElementById("continue")!.GetAttribute("href")!).ToString());
        var first = await LoginFlow.MeAsync(browser, app);

        // Second login, a new browser: a challenge with the next code from the app.
        using var secondBrowser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(secondBrowser, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword);
        Assert.That(challenge.Url.AbsolutePath, Is.EqualTo("/demo/mfa"), challenge.Html);
        var nextCode = LoginFlow.CodeFor(key, stepsAhead: 1);
        await LoginFlow.SubmitCodeAsync(secondBrowser, challenge, nextCode);
        var second = await LoginFlow.MeAsync(secondBrowser, app);

        // Third login: the same code again is a replay.
        using var thirdBrowser = new FormBrowser();
        var thirdChallenge = await LoginFlow.SignInAsync(thirdBrowser, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword);
        var replayed = await LoginFlow.SubmitCodeAsync(thirdBrowser, thirdChallenge, nextCode);

        // ...and the recovery code gets in once, and shows a new one.
        var recovered = await LoginFlow.UseRecoveryCodeAsync(thirdBrowser, replayed, recoveryCode!.ToLowerInvariant());
        var newRecoveryCode = recovered.Text("recovery-code");
        await thirdBrowser.GetAsync(new Uri(recovered.Url, recovered.Document.GetElementById("continue")!.GetAttribute("href")!).ToString());
        var third = await LoginFlow.MeAsync(thirdBrowser, app);

        Assert.Multiple(() =>
        {
            Assert.That(LoginFlow.Amr(first), Is.SupersetOf(new[] { "pwd", "otp", "mfa" }));
            Assert.That(first.GetProperty("idToken").GetProperty("acr").GetString(), Is.EqualTo("http://schemas.openid.net/pape/policies/2007/06/multi-factor"));
            Assert.That(LoginFlow.Amr(second), Is.SupersetOf(new[] { "pwd", "otp", "mfa" }));
            Assert.That(replayed.Text("mfa-error"), Does.Contain("already used"));
            Assert.That(newRecoveryCode, Is.Not.Null.And.Not.EqualTo(recoveryCode));
            Assert.That(LoginFlow.Amr(third), Does.Contain("mfa"));
        });
    }
}
