using RulesMfa.Host.Factors.Duo;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.DuoStandIn;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The Duo factor end to end: the real pages, the stock OIDC client, and the Duo stand-in over TLS (trusted as a custom
/// root by the server's Duo client and by the browser, as Duo's public certificate is by real ones). Allow, deny, a token
/// for another user, a tampered state, a replayed answer, an answer carried to another sign-in, Duo unreachable, and the
/// rules' own Duo keys in both rule forms.
/// </summary>
[NonParallelizable]
public sealed class DuoFactorTests
{
    private const string Tenant = "duo";
    private const string Password = "a long enough password";
    private const string DuoRule = "function (user, context, callback) { context.multifactor = { provider: 'duo' }; callback(null, user, context); }";
    private readonly TempFolder logs = new();
    private DuoStandInServer duo = null!;
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private (string ClientId, string Secret) duoApp;

    private string LogFile => Path.Combine(logs.Path, "rulesmfa.json");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        duo = await DuoStandInServer.StartAsync();
        duoApp = duo.AddApplication();
        // The stand-in listens on loopback, which the server refuses for Duo unless the operator allows it (DuoAddressAttackTests).
        server = await RulesMfaServer.StartAsync(clock: null, duo.TrustIn, "--Server:LogFile", LogFile, "--Duo:AllowPrivateNetwork", "true");
        await server.AddDuoTenantAsync(Tenant, duo.ApiHost, duoApp.ClientId, duoApp.Secret);
        await server.SetRulesAsync(Tenant, ("010-duo", DuoRule));
        app = await RelyingParty.StartAsync(server, Tenant, "duo-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
        await duo.DisposeAsync();
        logs.Dispose();
    }

    [SetUp]
    public void AnswerAllow() => duo.Answer = DuoAnswer.Allow;

    [Test]
    public async Task Allow_SignsInThroughDuo_AndTokensCarryMfa()
    {
        var email = await NewUserAsync();
        using var browser = Browser();
        var calls = duo.Calls.Count;

        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var prompt = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        var answer = AnswerUrl(prompt);
        var signedIn = await browser.GetAsync(answer);
        var me = await LoginFlow.MeAsync(browser, app);
        var made = duo.Calls.Skip(calls).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Document.GetElementById("duo-start"), Is.Not.Null, challenge.Html);
            Assert.That(prompt.Url.Authority, Is.EqualTo(duo.ApiHost), "the browser went to Duo's prompt");
            Assert.That(answer, Does.StartWith($"{server.Issuer(Tenant)}/mfa/duo/callback?state="), "Duo sends the user back to the tenant's callback");
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"));
            Assert.That(LoginFlow.Amr(me), Does.Contain("mfa"));
            Assert.That(made.Select(call => $"{call.Endpoint} {call.ClientId} {call.Outcome}"), Is.EqualTo(new[]
            {
                $"health_check {duoApp.ClientId} ok", $"authorize {duoApp.ClientId} ok", $"token {duoApp.ClientId} ok",
            }), "every JWT the client signed passed the stand-in's checks");
            Assert.That(made[1].Username, Is.EqualTo(email), "Duo is asked about the user's email by default");
            Assert.That(ReadLog(), Does.Contain("\"AuditEvent\":\"mfa.duo-redirected\""));
            Assert.That(ReadLog(), Does.Not.Contain(duoApp.Secret).And.Not.Contain(Query(answer, "state")).And.Not.Contain(Query(answer, "duo_code")),
                "no secret key, state or code in the log");
        });
    }

    [Test]
    public async Task Deny_ShowsThatDuoDidNotVerify_AndDoesNotSignIn()
    {
        var email = await NewUserAsync();
        using var browser = Browser();
        duo.Answer = DuoAnswer.Deny;

        var back = await AnswerAsync(browser, email);

        Assert.Multiple(() =>
        {
            Assert.That(back.Text("mfa-error"), Does.StartWith("Duo did not verify this sign-in."));
            Assert.That(back.Document.GetElementById("duo-start"), Is.Not.Null, "the user may continue with Duo again");
            Assert.That(ReadLog(), Does.Contain("\"AuditEvent\":\"mfa.duo-denied\"").And.Contain("Login denied"));
        });
        await AssertNotSignedInAsync(browser);
    }

    [Test]
    public async Task TokenForAnotherDuoUser_IsRefused()
    {
        var email = await NewUserAsync();
        using var browser = Browser();
        duo.Answer = DuoAnswer.OtherUser;

        var back = await AnswerAsync(browser, email);

        Assert.Multiple(() =>
        {
            Assert.That(back.Text("mfa-error"), Does.StartWith("Duo answered for another user than the one signing in"));
            Assert.That(duo.Calls.Last().Outcome, Is.EqualTo("ok"), "the token itself was valid: only the username was wrong");
            Assert.That(ReadLog(), Does.Contain("\"AuditEvent\":\"mfa.duo-user-mismatch\""));
        });
        await AssertNotSignedInAsync(browser);
    }

    [Test]
    public async Task TamperedState_IsRefusedBeforeTheCodeIsExchanged_AndTheRealAnswerStillWorks()
    {
        var email = await NewUserAsync();
        using var browser = Browser();
        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var prompt = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        var answer = AnswerUrl(prompt);
        var tokenCalls = duo.CallsTo("token").Count;

        var tampered = await browser.GetAsync(ReplaceState(answer, new string('A', 36)));
        var tokenCallsAfterTampering = duo.CallsTo("token").Count;
        var real = await browser.GetAsync(answer);

        Assert.Multiple(() =>
        {
            Assert.That(tampered.Text("mfa-error"), Does.StartWith("This answer from Duo does not belong to this sign-in or was already used."), tampered.Url + tampered.Status.ToString() + tampered.Html);
            Assert.That(tokenCallsAfterTampering, Is.EqualTo(tokenCalls), "the code is not sent to Duo with a state that is not ours");
            Assert.That(ReadLog(), Does.Contain("\"AuditEvent\":\"mfa.duo-state-refused\"").And.Contain("unknown state"));
            Assert.That(real.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "the refused attempt did not use up the real state");
        });
    }

    [Test]
    public async Task ReplayedAnswer_InTheSameSignIn_IsRefusedAsUsed_AndTheCodeIsNotExchangedAgain()
    {
        var email = await NewUserAsync();
        using var browser = Browser();
        duo.Answer = DuoAnswer.Deny;
        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var prompt = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        var answer = AnswerUrl(prompt);
        await browser.GetAsync(answer);
        var tokenCalls = duo.CallsTo("token").Count;

        var replayed = await browser.GetAsync(answer);

        Assert.Multiple(() =>
        {
            Assert.That(replayed.Text("mfa-error"), Does.StartWith("This answer from Duo does not belong to this sign-in or was already used."));
            Assert.That(duo.CallsTo("token"), Has.Count.EqualTo(tokenCalls), "the replayed code never reaches Duo");
            Assert.That(ReadLog(), Does.Contain("state already used (a replayed answer)"));
        });
        await AssertNotSignedInAsync(browser);
    }

    [Test]
    public async Task AnswerOfAnotherSignIn_IsRefused_AndDoesNotSignTheOtherBrowserIn()
    {
        var email = await NewUserAsync();
        using var victim = Browser();
        using var attacker = Browser();
        var victimChallenge = await LoginFlow.SignInAsync(victim, app, email, Password);
        var answer = AnswerUrl(await victim.SubmitAsync(victimChallenge, new Dictionary<string, string>()));
        await LoginFlow.SignInAsync(attacker, app, email, Password);
        var tokenCalls = duo.CallsTo("token").Count;

        var carried = await attacker.GetAsync(answer);

        Assert.Multiple(() =>
        {
            Assert.That(carried.Text("mfa-error"), Does.StartWith("This answer from Duo does not belong to this sign-in or was already used."));
            Assert.That(duo.CallsTo("token"), Has.Count.EqualTo(tokenCalls));
            Assert.That(ReadLog(), Does.Contain("state of another sign-in"));
        });
        await AssertNotSignedInAsync(attacker);
    }

    [Test]
    public async Task DuoUnreachable_DeniesOnAPageThatSaysSo_AndTellsTheApplication()
    {
        var gone = await DuoStandInServer.StartAsync();
        var goneApp = gone.AddApplication();
        var goneHost = gone.ApiHost;
        await gone.DisposeAsync();
        await server.AddDuoTenantAsync("duodown", goneHost, goneApp.ClientId, goneApp.Secret);
        await server.SetRulesAsync("duodown", ("010-duo", DuoRule));
        await using var downApp = await RelyingParty.StartAsync(server, "duodown", "duodown-web");
        await server.AddUserAsync("duodown", "ann@duodown.example", Password);
        using var browser = Browser();

        var challenge = await LoginFlow.SignInAsync(browser, downApp, "ann@duodown.example", Password);
        var outage = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        var back = await LoginFlow.FollowAsync(browser, outage, "back-to-app");

        Assert.Multiple(() =>
        {
            Assert.That(outage.Url.AbsolutePath, Is.EqualTo("/duodown/mfa/unavailable"));
            Assert.That(outage.Text("outage"), Does.StartWith("Duo, which verifies your sign-in, cannot be reached right now"));
            Assert.That(back.Url.AbsolutePath, Is.EqualTo("/error"), "the application is told the sign-in failed");
            Assert.That(back.Text("error"), Is.EqualTo("access_denied"));
            Assert.That(ReadLog(), Does.Contain("\"AuditEvent\":\"mfa.duo-unavailable\""));
        });
        Assert.That((int)(await browser.GetAsync(downApp.BaseUrl + "/me.json")).Status, Is.Not.EqualTo(200));
    }

    [TestCase("rule", TestName = "RulesDuoKeys_Rule_OverrideTheTenantsAndTheUsername")]
    [TestCase("action", TestName = "RulesDuoKeys_Action_OverrideTheTenantsAndTheUsername")]
    public async Task RulesDuoKeys_OverrideTheTenantsAndTheUsername(string form)
    {
        var tenant = $"duo{form}";
        var own = duo.AddApplication();
        var options = $"host: '{duo.ApiHost}', ikey: '{own.ClientId}', skey: '{own.Secret}', username: 'alias-' + ";
        var source = form == "rule"
            ? $"function (user, context, callback) {{ context.multifactor = {{ provider: 'duo', {options}user.email }}; callback(null, user, context); }}"
            : $"exports.onExecutePostLogin = async (event, api) => {{ api.multifactor.enable('duo', {{ providerOptions: {{ {options}event.user.email }} }}); }};";
        await server.AddDuoTenantAsync(tenant, duo.ApiHost, duoApp.ClientId, duoApp.Secret);
        await server.SetRulesAsync(tenant, ("010-duo", source));
        await using var ruleApp = await RelyingParty.StartAsync(server, tenant, $"{tenant}-web");
        await server.AddUserAsync(tenant, $"bo@{tenant}.example", Password);
        using var browser = Browser();
        var calls = duo.Calls.Count;

        var challenge = await LoginFlow.SignInAsync(browser, ruleApp, $"bo@{tenant}.example", Password);
        var prompt = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        await LoginFlow.FollowAsync(browser, prompt, "duo-answer");
        var me = await LoginFlow.MeAsync(browser, ruleApp);
        var made = duo.Calls.Skip(calls).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(made.Select(call => call.ClientId), Has.All.EqualTo(own.ClientId), "the rule's integration key and secret key were used");
            Assert.That(made.Select(call => call.Outcome), Has.All.EqualTo("ok"));
            Assert.That(made.Single(call => call.Endpoint == "authorize").Username, Is.EqualTo($"alias-bo@{tenant}.example"));
            Assert.That(LoginFlow.Amr(me), Does.Contain("mfa"));
        });
    }

    [Test]
    public async Task RuleWithMalformedDuoHost_DeniesSayingDuoIsNotSetUp_WithoutCallingDuo()
    {
        await server.AddDuoTenantAsync("duobadrule", duo.ApiHost, duoApp.ClientId, duoApp.Secret);
        await server.SetRulesAsync("duobadrule",
            ("010-duo", "function (user, context, callback) { context.multifactor = { provider: 'duo', host: 'https://evil.example/path' }; callback(null, user, context); }"));
        await using var badApp = await RelyingParty.StartAsync(server, "duobadrule", "duobadrule-web");
        await server.AddUserAsync("duobadrule", "cy@duobadrule.example", Password);
        using var browser = Browser();
        var calls = duo.Calls.Count;

        var challenge = await LoginFlow.SignInAsync(browser, badApp, "cy@duobadrule.example", Password);
        var refused = await browser.SubmitAsync(challenge, new Dictionary<string, string>());

        Assert.Multiple(() =>
        {
            Assert.That(refused.Text("outage"), Does.StartWith("Duo is not set up correctly for this sign-in"));
            Assert.That(duo.Calls, Has.Count.EqualTo(calls), "nothing was sent to any Duo host");
            Assert.That(ReadLog(), Does.Contain("\"AuditEvent\":\"mfa.duo-not-configured\"").And.Contain("no valid API hostname (duo.apiHostname, or the rule's host)"));
        });
    }

    private async Task<string> NewUserAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@duo.example";
        await server.AddUserAsync(Tenant, email, Password);
        return email;
    }

    private FormBrowser Browser() => new(chainPolicy: duo.Certificates.ChainPolicy());

    /// <summary>Password, "Continue with Duo", and the prompt's answer: the page the browser lands on.</summary>
    private async Task<FormBrowser.Page> AnswerAsync(FormBrowser browser, string email)
    {
        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var prompt = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        return await LoginFlow.FollowAsync(browser, prompt, "duo-answer");
    }

    private static string AnswerUrl(FormBrowser.Page prompt) =>
        new Uri(prompt.Url, prompt.Document.GetElementById("duo-answer")?.GetAttribute("href") ?? throw new AssertionException($"no Duo prompt:\n{prompt.Html}")).ToString();

    private static string Query(string url, string name) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)[name]!;

    private static string ReplaceState(string url, string state) =>
        System.Text.RegularExpressions.Regex.Replace(url, "state=[^&]+", $"state={state}");

    private async Task AssertNotSignedInAsync(FormBrowser browser) =>
        Assert.That((int)(await browser.GetAsync(app.BaseUrl + "/me.json")).Status, Is.Not.EqualTo(200), "the application has no signed-in user");

    private string ReadLog()
    {
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
