using RulesMfa.Host.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The tenant's rules decide who opens the admin console, whatever client the session came from (security review,
/// finding 3): a session that did MFA through an app is not a console session until the rules ran for the console.
/// </summary>
[NonParallelizable]
public sealed class ConsoleRulesTests
{
    private const string Password = "a long enough password";

    private const string DenyTheConsole = """
        function (user, context, callback) {
          if (context.clientID === 'rulesmfa-console') { return callback(new UnauthorizedError('The console is closed during the audit.')); }
          context.multifactor = { provider: 'any' };
          callback(null, user, context);
        }
        """;

    private const string MfaEverywhere = "function (user, context, callback) { context.multifactor = { provider: 'any' }; callback(null, user, context); }";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("locked");
        app = await RelyingParty.StartAsync(server, "locked", "locked-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task RuleDenyingTheConsole_LocksOutAnAdminWhoDidMfaThroughAnApp()
    {
        await server.SetRulesAsync("locked", ("010-no-console", DenyTheConsole));
        await server.AddUserAsync("locked", "admin@locked.example", Password, isAdmin: true);
        using var browser = new FormBrowser();
        await SignInThroughTheAppWithMfaAsync(browser, "admin@locked.example");

        var signIn = await browser.GetAsync($"{server.Issuer("locked")}/admin/sign-in");
        var console = await browser.GetAsync($"{server.Issuer("locked")}/admin");
        var api = await ApiAsync(browser);

        Assert.Multiple(() =>
        {
            Assert.That((int)signIn.Status, Is.EqualTo(403));
            Assert.That(signIn.Text("refused"), Is.EqualTo("The console is closed during the audit."), "the rule's own description");
            Assert.That(console.Document.GetElementById("rule-list"), Is.Null, "the console page is not served");
            Assert.That((int)api.StatusCode, Is.EqualTo(403));
        });
        Assert.That(await api.Content.ReadAsStringAsync(), Does.Contain("Admins must open the console at /admin/sign-in"));
    }

    [Test]
    public async Task RulesAllowingTheConsole_RunForIt_ThenTheSessionOpensTheConsoleAndTheApi()
    {
        await server.SetRulesAsync("locked", ("010-mfa", MfaEverywhere));
        await server.AddUserAsync("locked", "allowed@locked.example", Password, isAdmin: true);
        using var browser = new FormBrowser();
        var key = await SignInThroughTheAppWithMfaAsync(browser, "allowed@locked.example");
        var before = await ApiAsync(browser);

        var challenge = await browser.GetAsync($"{server.Issuer("locked")}/admin/sign-in");
        var console = await LoginFlow.SubmitCodeAsync(browser, challenge, LoginFlow.CodeFor(key, 1));
        var after = await ApiAsync(browser);

        Assert.Multiple(() =>
        {
            Assert.That((int)before.StatusCode, Is.EqualTo(403), "MFA through the app is not a console session");
            Assert.That(challenge.Url.AbsolutePath, Is.EqualTo("/locked/mfa"), "the rules ran for the console and asked for MFA");
            Assert.That(console.Document.GetElementById("rule-list"), Is.Not.Null, console.Html);
            Assert.That((int)after.StatusCode, Is.EqualTo(200));
        });
    }

    /// <summary>Signs in through the tenant's app with the stock OIDC client, enrolling an authenticator; returns its key.</summary>
    private async Task<byte[]> SignInThroughTheAppWithMfaAsync(FormBrowser browser, string email)
    {
        var enrollment = await LoginFlow.SignInAsync(browser, app, email, Password);
        var key = LoginFlow.KeyFrom(enrollment);
        var saved = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(key));
        await LoginFlow.FollowAsync(browser, saved, "continue");
        Assert.That(LoginFlow.Amr(await LoginFlow.MeAsync(browser, app)), Does.Contain("mfa"));
        return key;
    }

    private async Task<HttpResponseMessage> ApiAsync(FormBrowser browser)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Issuer("locked")}/api/v1/rules");
        request.Headers.Add(AdminAccess.ConsoleHeader, "1");
        return await browser.SendAsync(request);
    }
}
