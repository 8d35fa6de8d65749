using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;
namespace RulesMfa.Tests.EndToEnd;

/// <summary>Remember-browser, wrong-code limits and password lockout, through the real pages.</summary>
[NonParallelizable]
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class ProtectionTests(StorageProvider provider)
{
    private const string Password = "a long enough password";
    private const string MfaRememberable = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: !user.email.startsWith('strict') }; callback(null, user, context); }";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartOnAsync(provider);
        await server.AddTenantAsync("shield");
        await server.SetRulesAsync("shield", ("010-mfa", MfaRememberable));
        app = await RelyingParty.StartAsync(server, "shield", "shield-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    /// <summary>Enrolls the user in a throwaway browser; returns the authenticator key.</summary>
    private async Task<byte[]> EnrolledUserAsync(string email)
    {
        await server.AddUserAsync("shield", email, Password);
        using var browser = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(browser, app, email, Password);
        var key = LoginFlow.KeyFrom(enrollment);
        await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(key));
        return key;
    }

    [Test]
    public async Task RememberBrowser_Ticked_NextLoginSkipsTheChallenge()
    {
        var key = await EnrolledUserAsync("remember@shield.example");
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, "remember@shield.example", Password);
        await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key, 1), ["RememberBrowser"] = "true" }, formWithField: "Code");
        await LoginFlow.MeAsync(browser, app);
        await browser.GetAsync(app.BaseUrl + "/logout");

        var again = await LoginFlow.SignInAsync(browser, app, "remember@shield.example", Password);
        var me = await LoginFlow.MeAsync(browser, app);

        Assert.Multiple(() =>
        {
            Assert.That(again.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "no challenge on a remembered browser");
            Assert.That(LoginFlow.Amr(me), Is.EqualTo(new[] { "pwd" }));
        });
    }

    [Test]
    public async Task RememberBrowser_NotAllowedByTheRules_IsNotOfferedAndChallengesAgain()
    {
        var key = await EnrolledUserAsync("strict@shield.example");
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, "strict@shield.example", Password);
        var offered = challenge.Document.GetElementById("remember") is not null;
        await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key, 1), ["RememberBrowser"] = "true" }, formWithField: "Code");
        await LoginFlow.MeAsync(browser, app);
        await browser.GetAsync(app.BaseUrl + "/logout");

        var again = await LoginFlow.SignInAsync(browser, app, "strict@shield.example", Password);

        Assert.Multiple(() =>
        {
            Assert.That(offered, Is.False, "no remember box when the rules say allowRememberBrowser: false");
            Assert.That(again.Url.AbsolutePath, Is.EqualTo("/shield/mfa"), "challenged again");
        });
    }

    [Test]
    public async Task WrongCodes_TenInARow_LeadToTooManyAttempts()
    {
        await EnrolledUserAsync("guesser@shield.example");
        using var browser = new FormBrowser();
        var page = await LoginFlow.SignInAsync(browser, app, "guesser@shield.example", Password);
        var challengeUrl = page.Url.ToString();

        for (var attempt = 0; attempt < 10; attempt++)
        {
            page = await LoginFlow.SubmitCodeAsync(browser, await browser.GetAsync(challengeUrl), "000000");
        }

        var eleventh = await browser.GetAsync(challengeUrl);
        eleventh = await LoginFlow.SubmitCodeAsync(browser, eleventh, "000000");

        Assert.Multiple(() =>
        {
            Assert.That(page.Text("mfa-error"), Does.StartWith("That code is not right"), "the tenth wrong code is still checked");
            Assert.That(eleventh.Text("mfa-error"), Does.StartWith("Too many attempts."));
            Assert.That(eleventh.Document.GetElementById("code"), Is.Null, "no code form past the limit");
        });
    }

    [Test]
    public async Task WrongPasswords_PastTheFreeOnes_BlockTheAccountWithAClearMessage()
    {
        // Its own tenant: failures also count per IP and tenant, and every test here comes from 127.0.0.1.
        await server.AddTenantAsync("vault");
        await server.AddUserAsync("vault", "locked@shield.example", Password);
        await using var vaultApp = await RelyingParty.StartAsync(server, "vault", "vault-web");
        using var browser = new FormBrowser();
        FormBrowser.Page page = null!;

        for (var attempt = 0; attempt < 7; attempt++)
        {
            page = await LoginFlow.SignInAsync(browser, vaultApp, "locked@shield.example", "not the password");
        }

        var rightPasswordWhileBlocked = await LoginFlow.SignInAsync(browser, vaultApp, "locked@shield.example", Password);

        Assert.Multiple(() =>
        {
            Assert.That(page.Text("login-error"), Does.StartWith("Too many failed sign-ins."));
            Assert.That(rightPasswordWhileBlocked.Text("login-error"), Does.StartWith("Too many failed sign-ins."), "blocked even with the right password");
        });
    }
}
