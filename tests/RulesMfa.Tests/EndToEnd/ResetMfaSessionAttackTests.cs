using System.Net;
using RulesMfa.Host.Admin;
using RulesMfa.Host.MfaApi;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.MfaApi;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// Reset MFA is what support does for a lost or stolen device: every factor goes, and the user enrolls again at the next
/// login, which a password alone may do for a user with no factor. A session or an access token from before the reset
/// (on the stolen laptop) needs no password: it could go straight to the enrollment and put the thief's own
/// authenticator on the account, which then locks the owner out. Sessions and MFA API access tokens issued before the
/// reset are over: the next enrollment starts with the password.
/// </summary>
[NonParallelizable]
public sealed class ResetMfaSessionAttackTests
{
    private const string Tenant = "lostlaptop";
    private const string Password = "a long enough password";
    private const string Mfa = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: false }; callback(null, user, context); }";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private AdminApiClient admin = null!;
    private MfaApiHttp mfaApi = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        await server.SetRulesAsync(Tenant, ("010-mfa", Mfa));
        app = await RelyingParty.StartAsync(server, Tenant, "lostlaptop-web");
        admin = await AdminApiClient.CreateAsync(server, Tenant);
        var (clientId, secret) = await MfaApiHttp.AddPasswordClientAsync(server, Tenant, "lostlaptop-cli");
        mfaApi = new MfaApiHttp(server.Issuer(Tenant), clientId, secret);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        mfaApi.Dispose();
        admin.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task SessionFromBeforeTheReset_AsksForThePasswordAgain_AndNeverReachesTheEnrollment()
    {
        var email = $"owner-{Guid.NewGuid():N}@lostlaptop.example";
        using var laptop = await SignedInWithAnAuthenticatorAsync(email);
        await ResetMfaAsync(email);

        var thief = await laptop.GetAsync(app.BaseUrl + "/login");
        var enrollDirectly = await laptop.GetAsync($"{server.Issuer(Tenant)}/mfa/enroll?returnUrl=%2F");

        Assert.Multiple(() =>
        {
            Assert.That(thief.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/login"), thief.Html);
            Assert.That(thief.Document.GetElementById("password"), Is.Not.Null, "the stolen session is over: the password is asked");
            Assert.That(thief.Document.GetElementById("secret-key"), Is.Null, "no authenticator key is shown");
            Assert.That(enrollDirectly.Text("mfa-error"), Is.EqualTo("Your sign-in has expired. Go back to the application and sign in again."));
        });
    }

    [Test]
    public async Task MfaApiAccessTokenFromBeforeTheReset_CannotEnrollAnAuthenticator()
    {
        var email = $"native-{Guid.NewGuid():N}@lostlaptop.example";
        await server.AddUserAsync(Tenant, email, Password);
        var (barcodeUri, _) = await MfaApiScenario.EnrollOtpAsync(mfaApi, email);
        var mfaToken = await MfaApiScenario.MfaTokenAsync(mfaApi, email, "openid enroll", mfaApi.Audience);
        var (granted, tokens) = await mfaApi.GrantAsync(MfaGrantTypes.Otp, mfaToken, ("otp", MfaApiScenario.CodeFor(barcodeUri, 1)));
        Assert.That(granted, Is.EqualTo(HttpStatusCode.OK), () => $"{tokens}");
        var accessToken = tokens!["access_token"]!.GetValue<string>();
        await ResetMfaAsync(email);

        var (status, answer) = await mfaApi.AssociateAsync(accessToken, new { authenticator_types = new[] { "otp" } });

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), () => $"{answer}");
            Assert.That(answer?["error"]?.GetValue<string>(), Is.EqualTo("invalid_token"));
            Assert.That(answer?["secret"], Is.Null, "no authenticator key is handed out");
        });
    }

    [Test]
    public async Task MfaTokenFromBeforeTheReset_CannotEnrollAnAuthenticatorOnceTheUserHasNone()
    {
        // A login begun while the user had no factor may enroll one; the user then enrolled in another login, so it no
        // longer may, until the reset removes that factor: the older login's mfa_token must not enroll the thief's.
        var email = $"pending-{Guid.NewGuid():N}@lostlaptop.example";
        await server.AddUserAsync(Tenant, email, Password);
        var earlierLogin = await MfaApiScenario.MfaTokenAsync(mfaApi, email);
        await MfaApiScenario.EnrollOtpAsync(mfaApi, email);
        await ResetMfaAsync(email);

        var (status, answer) = await mfaApi.AssociateAsync(earlierLogin, new { authenticator_types = new[] { "otp" } });

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), () => $"{answer}");
            Assert.That(answer?["error"]?.GetValue<string>(), Is.EqualTo("expired_token"));
            Assert.That(answer?["secret"], Is.Null, "no authenticator key is handed out");
        });
    }

    [Test]
    public async Task SilentSignInWithASessionFromBeforeTheReset_AnswersLoginRequired()
    {
        var email = $"silent-{Guid.NewGuid():N}@lostlaptop.example";
        using var laptop = await SignedInWithAnAuthenticatorAsync(email);
        await ResetMfaAsync(email);
        var query = $"client_id={app.ClientId}&redirect_uri={Uri.EscapeDataString(app.BaseUrl + "/signin-oidc")}&response_type=code&scope=openid" +
            "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=s1&nonce=n1&prompt=none";
        using var unfollowed = new HttpClient(new SocketsHttpHandler { CookieContainer = laptop.Cookies, AllowAutoRedirect = false });

        using var silent = await unfollowed.GetAsync($"{server.Issuer(Tenant)}/connect/authorize?{query}");

        Assert.Multiple(() =>
        {
            Assert.That((int)silent.StatusCode, Is.EqualTo(302));
            Assert.That(silent.Headers.Location?.ToString(), Does.StartWith(app.BaseUrl + "/signin-oidc").And.Contain("error=login_required"),
                "prompt=none never shows the password page: the application hears that the user must sign in");
        });
    }

    [Test]
    public async Task AdminConsoleSessionFromBeforeTheReset_IsRefusedByTheApi_AndTheConsoleAsksForThePassword()
    {
        var email = $"admin-{Guid.NewGuid():N}@lostlaptop.example";
        await server.AddUserAsync(Tenant, email, Password, isAdmin: true);
        using var laptop = new FormBrowser();
        var login = await laptop.GetAsync($"{server.Issuer(Tenant)}/admin");
        var enrollment = await laptop.SubmitAsync(login, new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        var recovery = await LoginFlow.SubmitCodeAsync(laptop, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        var console = await LoginFlow.FollowAsync(laptop, recovery, "continue");
        Assert.That(console.Document.GetElementById("rule-list"), Is.Not.Null, $"{console.Url}\n{console.Html}");
        await ResetMfaAsync(email);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Issuer(Tenant)}/api/v1/rules");
        request.Headers.Add(AdminAccess.ConsoleHeader, "1");
        using var api = await laptop.SendAsync(request);
        var consoleAgain = await laptop.GetAsync($"{server.Issuer(Tenant)}/admin");

        Assert.Multiple(() =>
        {
            Assert.That((int)api.StatusCode, Is.EqualTo(401), "the console session from before the reset no longer calls the admin API");
            Assert.That(consoleAgain.Document.GetElementById("rule-list"), Is.Null, consoleAgain.Html);
            Assert.That(consoleAgain.Document.GetElementById("password"), Is.Not.Null, "the console asks for the password again");
        });
    }

    /// <summary>A new user signed in to the application, with the authenticator app enrolled on the way: the laptop's browser.</summary>
    private async Task<FormBrowser> SignedInWithAnAuthenticatorAsync(string email)
    {
        await server.AddUserAsync(Tenant, email, Password);
        var laptop = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(laptop, app, email, Password);
        var saved = await LoginFlow.SubmitCodeAsync(laptop, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        await LoginFlow.FollowAsync(laptop, saved, "continue");
        return laptop;
    }

    private async Task ResetMfaAsync(string email)
    {
        var userId = (await server.GetUserAsync(Tenant, email)).Id;
        var reset = await admin.PostAsync($"/users/{Uri.EscapeDataString(userId)}/reset-mfa", new { confirm = true });
        Assert.That(reset.Status, Is.EqualTo(200), reset.Text);
    }
}
