using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;
namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// RP-initiated logout: the stock client's sign-out (with its ID token as <c>id_token_hint</c>) ends the session at once;
/// a request that does not name the signed-in user, such as a link on another site, asks the user to confirm.
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class LogoutTests(StorageProvider provider)
{
    private const string Tenant = "exit";
    private const string Password = "a long enough password";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartOnAsync(provider);
        await server.AddTenantAsync(Tenant);
        foreach (var name in new[] { "ada", "grace", "mallory" })
        {
            await server.AddUserAsync(Tenant, $"{name}@exit.example", Password);
        }

        app = await RelyingParty.StartAsync(server, Tenant, "exit-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Logout_StockClientSignOut_EndsTheSessionWithoutAsking()
    {
        using var browser = await SignedInBrowserAsync("ada@exit.example");

        var afterLogout = await browser.GetAsync(app.BaseUrl + "/logout");

        Assert.Multiple(async () =>
        {
            Assert.That(afterLogout.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "back at the app, no confirmation asked");
            Assert.That(await IsSignedInAtTheProviderAsync(browser), Is.False);
        });
    }

    [Test]
    public async Task Logout_BareCrossSiteGet_AsksToConfirmAndKeepsTheSession()
    {
        using var browser = await SignedInBrowserAsync("grace@exit.example");

        var asked = await browser.GetAsync($"{server.Issuer(Tenant)}/connect/logout?post_logout_redirect_uri={Uri.EscapeDataString(app.BaseUrl + "/signout-callback-oidc")}");

        Assert.Multiple(async () =>
        {
            Assert.That(asked.Document.GetElementById("confirm-logout"), Is.Not.Null, $"{asked.Url}\n{asked.Html}");
            Assert.That(await IsSignedInAtTheProviderAsync(browser), Is.True, "the session survives until the user confirms");
        });
    }

    [Test]
    public async Task Logout_HintOfAnotherUser_AsksToConfirm()
    {
        // Mallory's own, valid logout request, as the app would send it, planted in a page Ada visits.
        using var mallory = await SignedInBrowserAsync("mallory@exit.example");
        using var noRedirects = new HttpClient(new HttpClientHandler { CookieContainer = mallory.Cookies, AllowAutoRedirect = false });
        var malloryLogout = (await noRedirects.GetAsync(app.BaseUrl + "/logout")).Headers.Location!.ToString();
        using var ada = await SignedInBrowserAsync("ada@exit.example");

        var asked = await ada.GetAsync(malloryLogout);

        Assert.Multiple(async () =>
        {
            Assert.That(malloryLogout, Does.Contain("id_token_hint="));
            Assert.That(asked.Document.GetElementById("confirm-logout"), Is.Not.Null, $"{asked.Url}\n{asked.Html}");
            Assert.That(await IsSignedInAtTheProviderAsync(ada), Is.True);
        });
    }

    [Test]
    public async Task Logout_Confirmed_EndsTheSessionAndReturnsToTheApp()
    {
        using var browser = await SignedInBrowserAsync("grace@exit.example");
        var asked = await browser.GetAsync($"{server.Issuer(Tenant)}/connect/logout?post_logout_redirect_uri={Uri.EscapeDataString(app.BaseUrl + "/signout-callback-oidc")}");

        var confirmed = await browser.SubmitAsync(asked, new Dictionary<string, string> { ["confirm"] = "yes" });

        Assert.Multiple(async () =>
        {
            Assert.That(confirmed.Url.ToString(), Does.StartWith(app.BaseUrl), "sent to the registered post-logout address");
            Assert.That(await IsSignedInAtTheProviderAsync(browser), Is.False);
        });
    }

    [Test]
    public async Task Logout_CrossSitePostWithoutAntiforgeryToken_AsksAgain()
    {
        using var browser = await SignedInBrowserAsync("ada@exit.example");

        var forged = await FormBrowser.Page.FromAsync(await browser.PostAsync($"{server.Issuer(Tenant)}/connect/logout", new Dictionary<string, string> { ["confirm"] = "yes" }));

        Assert.Multiple(async () =>
        {
            Assert.That(forged.Document.GetElementById("confirm-logout"), Is.Not.Null, $"{forged.Url}\n{forged.Html}");
            Assert.That(await IsSignedInAtTheProviderAsync(browser), Is.True);
        });
    }

    private async Task<FormBrowser> SignedInBrowserAsync(string email)
    {
        var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, app, email, Password);
        await LoginFlow.MeAsync(browser, app);
        return browser;
    }

    /// <summary>Whether the app's sign-in goes through without the password page, as it does while the provider's session lives.</summary>
    private async Task<bool> IsSignedInAtTheProviderAsync(FormBrowser browser)
    {
        var page = await browser.GetAsync(app.BaseUrl + "/login");
        return page.Document.GetElementById("password") is null;
    }
}
