namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The pages' <c>returnUrl</c> is the user's to edit, and a link can carry one in: after a tenant's login, MFA or
/// "cannot be completed" page, the browser goes back only into that tenant. A URL of another tenant on this server (a
/// local URL to <c>Url.IsLocalUrl</c>) was followed: a hostile tenant's branded page, served from the same origin,
/// could then ask the user signed in at the first tenant for the password again.
/// </summary>
[NonParallelizable]
public sealed class TenantReturnUrlAttackTests
{
    private const string Password = "a long enough password";

    /// <summary>A user with <c>app_metadata.key</c> is asked for a security key, which the tenant does not enable: the login cannot be completed.</summary>
    private const string Rules = """
        exports.onExecutePostLogin = async (event, api) => {
          if (event.user.app_metadata.key) { api.authentication.challengeWith({ type: 'webauthn-roaming' }); }
          else { api.multifactor.enable('any', { allowRememberBrowser: false }); }
        };
        """;

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("acme");
        await server.AddTenantAsync("globex");
        await server.SetRulesAsync("acme", ("010-mfa", Rules));
        app = await RelyingParty.StartAsync(server, "acme", "acme-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [TestCase("/globex/login")]
    [TestCase("/acme/../globex/login")]
    [TestCase("/acme/%2e%2e/globex/login")]
    [TestCase("/acme2/login")]
    public async Task Login_ReturnUrlIntoAnotherTenant_GoesToThisTenantsHomeInstead(string returnUrl)
    {
        var email = $"login{Guid.NewGuid():N}@acme.example";
        await server.AddUserAsync("acme", email, Password);
        using var browser = new FormBrowser();
        var login = await browser.GetAsync($"{server.Issuer("acme")}/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");

        using var signedIn = await browser.SubmitWithoutRedirectAsync(login, new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });

        Assert.Multiple(() =>
        {
            Assert.That((int)signedIn.StatusCode, Is.EqualTo(302), "the password was right");
            Assert.That(signedIn.Headers.Location?.OriginalString, Is.EqualTo("/acme/"), "the browser stays in the tenant it signed in to");
        });
    }

    [Test]
    public async Task Login_ReturnUrlOfThisTenant_IsFollowed()
    {
        var email = $"login{Guid.NewGuid():N}@acme.example";
        await server.AddUserAsync("acme", email, Password);
        using var browser = new FormBrowser();
        var login = await browser.GetAsync($"{server.Issuer("acme")}/login?ReturnUrl={Uri.EscapeDataString("/acme/admin/sign-in?x=/../globex")}");

        using var signedIn = await browser.SubmitWithoutRedirectAsync(login, new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });

        Assert.That(signedIn.Headers.Location?.OriginalString, Is.EqualTo("/acme/admin/sign-in?x=/../globex"), "a query is not a path");
    }

    [Test]
    public async Task Challenge_PassedWithAReturnUrlIntoAnotherTenant_ContinuesInThisTenant()
    {
        var email = $"mfa{Guid.NewGuid():N}@acme.example";
        await server.AddUserAsync("acme", email, Password);
        byte[] key;
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, app, email, Password);
            key = LoginFlow.KeyFrom(enrollment);
            await LoginFlow.SubmitCodeAsync(enrolling, enrollment, LoginFlow.CodeFor(key));
        }

        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        using var passed = await browser.SubmitWithoutRedirectAsync(challenge,
            new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key, 1), ["ReturnUrl"] = "/globex/login" }, formWithField: "Code");

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Url.AbsolutePath, Is.EqualTo("/acme/mfa"), challenge.Html);
            Assert.That((int)passed.StatusCode, Is.EqualTo(302), "the code was right");
            Assert.That(passed.Headers.Location?.OriginalString, Is.EqualTo("/acme/"), "after MFA the browser stays in the tenant");
        });
    }

    [Test]
    public async Task Unavailable_BackLinkWithAReturnUrlIntoAnotherTenant_PointsIntoThisTenant()
    {
        var email = $"key{Guid.NewGuid():N}@acme.example";
        await server.AddUserAsync("acme", email, Password, appMetadata: new { key = true });
        using var browser = new FormBrowser();
        var unavailable = await LoginFlow.SignInAsync(browser, app, email, Password);

        var crafted = await browser.GetAsync($"{server.Issuer("acme")}/mfa/unavailable?returnUrl={Uri.EscapeDataString("/globex/login")}");

        Assert.Multiple(() =>
        {
            Assert.That(unavailable.Url.AbsolutePath, Is.EqualTo("/acme/mfa/unavailable"), unavailable.Html);
            Assert.That(crafted.Document.GetElementById("back-to-app")?.GetAttribute("href"), Is.EqualTo("/acme/"), "the way back stays in the tenant");
        });
    }
}
