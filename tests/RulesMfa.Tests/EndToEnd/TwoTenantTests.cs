using System.Text.Json;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>Two tenants on one server, each with its own app: denies, step-up, logout, refresh, and isolation.</summary>
[NonParallelizable]
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class TwoTenantTests(StorageProvider provider)
{
    private const string DenyBlocked = "function (user, context, callback) { if (user.email.startsWith('blocked')) { return callback(new UnauthorizedError('Your account is blocked.')); } callback(null, user, context); }";
    private const string AlwaysMfa = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: false }; callback(null, user, context); }";
    private const string Password = "a long enough password";

    private RulesMfaServer server = null!;
    private RelyingParty acme = null!;
    private RelyingParty globex = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartOnAsync(provider);
        foreach (var tenant in new[] { "acme", "globex" })
        {
            await server.AddTenantAsync(tenant, displayName: tenant == "globex" ? "Globex Corporation" : null, logoUrl: tenant == "globex" ? "https://globex.example/logo.png" : null);
            await server.AddUserAsync(tenant, $"ada@{tenant}.example", Password);
            await server.AddUserAsync(tenant, $"blocked@{tenant}.example", Password);
        }

        await server.SetRulesAsync("acme", ("010-deny-blocked", DenyBlocked), ("020-always-mfa", AlwaysMfa));
        acme = await RelyingParty.StartAsync(server, "acme", "acme-web");
        globex = await RelyingParty.StartAsync(server, "globex", "globex-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await acme.DisposeAsync();
        await globex.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Login_RuleDenies_ReachesTheAppAsAnOAuthError()
    {
        using var browser = new FormBrowser();

        var result = await LoginFlow.SignInAsync(browser, acme, "blocked@acme.example", Password);

        Assert.Multiple(() =>
        {
            Assert.That(result.Text("error"), Is.EqualTo("unauthorized"), result.Html);
            Assert.That(result.Text("error-description"), Is.EqualTo("Your account is blocked."));
        });
    }

    [Test]
    public async Task Login_RulesOfOneTenant_NeverChangeTheOthersDecisions()
    {
        using var browser = new FormBrowser();

        await LoginFlow.SignInAsync(browser, globex, "blocked@globex.example", Password);
        var me = await LoginFlow.MeAsync(browser, globex);

        Assert.Multiple(() =>
        {
            Assert.That(LoginFlow.Amr(me), Is.EqualTo(new[] { "pwd" }), "acme's deny and MFA rules must not run for globex");
            Assert.That(me.GetProperty("idToken").GetProperty("iss").GetString(), Is.EqualTo(server.Issuer("globex")));
        });
    }

    [Test]
    public async Task Authorize_ClientOfAnotherTenant_IsRefused()
    {
        using var browser = new FormBrowser();
        var query = $"client_id={acme.ClientId}&redirect_uri={Uri.EscapeDataString(acme.BaseUrl + "/signin-oidc")}&response_type=code&scope=openid" +
            "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=s1&nonce=n1";

        var result = await browser.GetAsync($"{server.Issuer("globex")}/connect/authorize?{query}");

        Assert.That(result.Url.ToString(), Does.Not.StartWith(server.Issuer("globex") + "/login"), "no sign-in for a foreign client");
        Assert.That(result.Url.Query + result.Html, Does.Contain("invalid_client").Or.Contain("invalid_request"));
    }

    [Test]
    public async Task Login_StepUpRequested_ForcesMfaEvenWhenRulesDoNot()
    {
        using var browser = new FormBrowser();
        await server.AddUserAsync("globex", "stepup@globex.example", Password);

        var enrollment = await LoginFlow.SignInAsync(browser, globex, "stepup@globex.example", Password, path: "/login?stepup=1");
        Assert.That(enrollment.Url.AbsolutePath, Is.EqualTo("/globex/mfa/enroll"), enrollment.Html);
        var saved = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        await browser.GetAsync(new Uri(saved.Url, saved.Document.GetElementById("continue")!.GetAttribute("href")!).ToString());
        var me = await LoginFlow.MeAsync(browser, globex);

        Assert.Multiple(() =>
        {
            Assert.That(enrollment.Text("tenant-name"), Is.EqualTo("Globex Corporation"), "branding on the hosted pages");
            Assert.That(enrollment.Document.QuerySelector("header img")?.GetAttribute("src"), Is.EqualTo("https://globex.example/logo.png"));
            Assert.That(enrollment.Text("issuer"), Is.EqualTo("Globex Corporation"), "the authenticator app's issuer label");
            Assert.That(LoginFlow.Amr(me), Is.SupersetOf(new[] { "pwd", "mfa" }));
            Assert.That(me.GetProperty("idToken").GetProperty("acr").GetString(), Is.EqualTo("http://schemas.openid.net/pape/policies/2007/06/multi-factor"));
        });
    }

    [Test]
    public async Task Logout_EndsTheSessionAtTheProvider()
    {
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, globex, "ada@globex.example", Password);
        await LoginFlow.MeAsync(browser, globex);

        var afterLogout = await browser.GetAsync(globex.BaseUrl + "/logout");
        var again = await browser.GetAsync(globex.BaseUrl + "/login");

        Assert.Multiple(() =>
        {
            Assert.That(afterLogout.Url.ToString(), Is.EqualTo(globex.BaseUrl + "/"), afterLogout.Html);
            Assert.That(afterLogout.Html, Does.Contain("You are not signed in."));
            Assert.That(again.Document.GetElementById("password"), Is.Not.Null, "the provider asks for the password again");
        });
    }

    [Test]
    public async Task Refresh_RunsTheRulesAgain_AndADenyRefusesIt()
    {
        await server.AddUserAsync("globex", "refresh@globex.example", Password);
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, globex, "refresh@globex.example", Password);
        var refreshToken = (await LoginFlow.MeAsync(browser, globex)).GetProperty("refreshToken").GetString()!;

        var refreshed = await globex.RefreshAsync(refreshToken);
        await server.SetRulesAsync("globex", ("deny-refresh", "function (user, context, callback) { if (context.protocol === 'oauth2-refresh-token') return callback(new Error('Refresh is blocked.')); callback(null, user, context); }"));
        var refused = await globex.RefreshAsync(refreshed.GetProperty("refresh_token").GetString()!);
        await server.SetRulesAsync("globex");

        Assert.Multiple(() =>
        {
            Assert.That(refreshed.TryGetProperty("id_token", out _), Is.True, refreshed.ToString());
            Assert.That(refused.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(refused.GetProperty("error_description").GetString(), Is.EqualTo("Refresh is blocked."));
        });
    }

    [Test]
    public async Task Refresh_MfaDemandedButSessionDidNoMfa_IsRefused()
    {
        await server.AddUserAsync("globex", "nomfa@globex.example", Password);
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, globex, "nomfa@globex.example", Password);
        var refreshToken = (await LoginFlow.MeAsync(browser, globex)).GetProperty("refreshToken").GetString()!;

        await server.SetRulesAsync("globex", ("mfa-now", AlwaysMfa));
        var refused = await globex.RefreshAsync(refreshToken);
        await server.SetRulesAsync("globex");

        Assert.Multiple(() =>
        {
            Assert.That(refused.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(refused.GetProperty("error_description").GetString(), Does.Contain("Multi-factor authentication is required"));
        });
    }

    [Test]
    public async Task Login_RuleUpdatesMetadata_IsSaved()
    {
        await server.AddUserAsync("globex", "meta@globex.example", Password);
        await server.SetRulesAsync("globex", ("save-country", "function (user, context, callback) { user.app_metadata.seen_from = context.request.ip; auth0.users.updateAppMetadata(user.user_id, user.app_metadata).then(() => callback(null, user, context)); }"));
        using var browser = new FormBrowser();

        await LoginFlow.SignInAsync(browser, globex, "meta@globex.example", Password);
        await LoginFlow.MeAsync(browser, globex);
        await server.SetRulesAsync("globex");
        var user = await server.GetUserAsync("globex", "meta@globex.example");

        Assert.That(JsonDocument.Parse(user.AppMetadataJson).RootElement.GetProperty("seen_from").GetString(), Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task Login_PromptLogin_AsksForThePasswordAgain()
    {
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, globex, "ada@globex.example", Password);
        var first = await LoginFlow.MeAsync(browser, globex);

        var again = await browser.GetAsync(globex.BaseUrl + "/login?prompt=login");
        await Task.Delay(1100);
        var relogged = await browser.SubmitAsync(again, new Dictionary<string, string> { ["Email"] = "ada@globex.example", ["Password"] = Password });
        var second = await LoginFlow.MeAsync(browser, globex);

        Assert.Multiple(() =>
        {
            Assert.That(again.Document.GetElementById("password"), Is.Not.Null, "prompt=login shows the password page despite the session");
            Assert.That(relogged.Url.AbsolutePath, Is.EqualTo("/"), "after the new login the app gets its code, with no loop");
            Assert.That(second.GetProperty("idToken").GetProperty("auth_time").GetInt64(),
                Is.GreaterThan(first.GetProperty("idToken").GetProperty("auth_time").GetInt64()));
        });
    }

    [Test]
    public async Task LoginForm_WithoutAntiforgeryToken_IsRefused()
    {
        using var browser = new FormBrowser();

        using var response = await browser.PostAsync($"{server.Issuer("globex")}/login", new Dictionary<string, string> { ["Email"] = "ada@globex.example", ["Password"] = Password });

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }
}
