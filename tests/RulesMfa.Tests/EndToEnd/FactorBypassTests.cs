using RulesMfa.Host.Mfa;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The security review's ways past MFA, through the real pages and the stock OIDC client: someone with only the password
/// never adds a factor to an account that has one (finding 1), and every challenge and enrollment handler accepts only
/// the factors of the current plan (finding 2).
/// </summary>
[NonParallelizable]
public sealed class FactorBypassTests
{
    private const string Password = "a long enough password";

    /// <summary>
    /// One Action for every case: the user's <c>app_metadata.mfa</c> says what it asks for, so a test changes what the
    /// rules ask of one user between two logins.
    /// </summary>
    private const string RulesByMetadata = """
        exports.onExecutePostLogin = async (event, api) => {
          const mfa = event.user.app_metadata.mfa || {};
          if (mfa.enroll) { api.authentication.enrollWith({ type: mfa.enroll }); }
          else if (mfa.challenge) { api.authentication.challengeWith({ type: mfa.challenge }); }
          else { api.multifactor.enable('any'); }
        };
        """;

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("vault", displayName: "Vault");
        await server.SetRulesAsync("vault", ("010-mfa", RulesByMetadata));
        app = await RelyingParty.StartAsync(server, "vault", "vault-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task EnrollWith_ForAUserWhoHasTotp_GivesThePasswordAloneAChallengeNotAnEnrollment()
    {
        const string owner = "totp-owner@vault.example";
        await server.AddUserAsync("vault", owner, Password, appMetadata: new { mfa = new { enroll = "otp" } });
        var (_, recoveryCode) = await EnrollTotpAsync(owner);

        using var attacker = new FormBrowser();
        var landing = await LoginFlow.SignInAsync(attacker, app, owner, Password);
        var enrollPage = await attacker.GetAsync($"{server.Issuer("vault")}/mfa/enroll?returnUrl=%2F");
        var attackerApp = await attacker.GetAsync(app.BaseUrl + "/me.json");

        Assert.Multiple(() =>
        {
            Assert.That(landing.Url.AbsolutePath, Is.EqualTo("/vault/mfa"), "a challenge of the factor the user has, not an enrollment");
            Assert.That(landing.Document.GetElementById("secret-key"), Is.Null, "no authenticator key is handed to the password alone");
            Assert.That(landing.Document.GetElementById("code"), Is.Not.Null, "the challenge asks for the owner's authenticator code");
            Assert.That(enrollPage.Url.AbsolutePath, Is.EqualTo("/vault/mfa"), "the enrollment page sends a challenge step back to the challenge");
            Assert.That(enrollPage.Document.GetElementById("secret-key"), Is.Null);
            Assert.That((int)attackerApp.Status, Is.Not.EqualTo(200), "the attacker has no tokens");
        });
        Assert.That(await RecoveryCodeWorksAsync(owner, recoveryCode), Is.True, "the owner's recovery code still works");
    }

    [Test]
    public async Task PendingAuthenticatorKey_SeenByThePasswordAlone_IsNotTheKeyTheOwnerEnrolls()
    {
        const string owner = "first-enrollment@vault.example";
        await server.AddUserAsync("vault", owner, Password);
        using var attacker = new FormBrowser();
        var attackerKey = LoginFlow.KeyFrom(await LoginFlow.SignInAsync(attacker, app, owner, Password));

        var (ownerKey, _) = await EnrollTotpAsync(owner);
        using var later = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(later, app, owner, Password);
        var refused = await LoginFlow.SubmitCodeAsync(later, challenge, LoginFlow.CodeFor(attackerKey, 1));

        Assert.Multiple(() =>
        {
            Assert.That(ownerKey, Is.Not.EqualTo(attackerKey), "each enrollment gets its own secret");
            Assert.That(refused.Text("mfa-error"), Does.StartWith("That code is not right"), "codes of the key the attacker saw do not pass");
        });
    }

    [Test]
    public async Task ForcedEnrollmentPost_DuringAChallenge_IsRefusedWithItsReason()
    {
        const string owner = "forced@vault.example";
        await server.AddUserAsync("vault", owner, Password, appMetadata: new { mfa = new { enroll = "otp" } });
        await EnrollTotpAsync(owner);

        using var attacker = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(attacker, app, owner, Password);
        var refused = await attacker.PostAsync($"{server.Issuer("vault")}/mfa/enroll?returnUrl=%2F",
            new Dictionary<string, string> { ["Factor"] = "otp", ["FactorAction"] = "verify", ["Code"] = "123456", ["__RequestVerificationToken"] = Antiforgery(challenge) });
        var page = await FormBrowser.Page.FromAsync(refused);

        Assert.Multiple(() =>
        {
            Assert.That(page.Text("mfa-error"), Is.EqualTo("This sign-in does not offer to set up this factor."));
            Assert.That(page.Document.GetElementById("secret-key"), Is.Null);
        });
    }

    [Test]
    public async Task RulesAllowingOnlyAFactorTheUserLacks_AskForAnExistingFactorFirstThenEnroll_AndKeepTheRecoveryCode()
    {
        const string owner = "email-owner@vault.example";
        const string codes = "owner-codes@vault.example";
        await server.AddUserAsync("vault", owner, Password, appMetadata: new { mfa = new { enroll = "email" } });
        var firstRecoveryCode = await EnrollEmailAsync(owner, codes);
        await server.UpdateUserAsync("vault", owner, user => user.AppMetadataJson = """{"mfa":{"challenge":"otp"}}""");

        using var attacker = new FormBrowser();
        var attackerLanding = await LoginFlow.SignInAsync(attacker, app, owner, Password);

        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, owner, Password);
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        var enrollment = await LoginFlow.SubmitCodeAsync(browser, codeForm, LoginFlow.EmailedCode(server, codes));
        var signedIn = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        var me = await LoginFlow.MeAsync(browser, app);
        var notice = LastMessageTo(owner);

        Assert.Multiple(() =>
        {
            Assert.That(attackerLanding.Url.AbsolutePath, Is.EqualTo("/vault/mfa"), "the password alone meets a challenge of the email factor");
            Assert.That(attackerLanding.Document.GetElementById("send-email"), Is.Not.Null, attackerLanding.Html);
            Assert.That(attackerLanding.Document.GetElementById("secret-key"), Is.Null);
            Assert.That(enrollment.Url.AbsolutePath, Is.EqualTo("/vault/mfa/enroll"), "after the challenge, the enrollment the rules asked for");
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "no new recovery code page: the first one stands");
            Assert.That(LoginFlow.Amr(me), Is.SupersetOf(new[] { "pwd", "mfa", "otp" }));
            Assert.That(notice, Does.Contain($"Subject: {FactorAddedNotice.Subject}"));
            Assert.That(notice, Does.Contain("Authenticator app was added"));
        });
        Assert.That(await RecoveryCodeWorksAsync(owner, firstRecoveryCode), Is.True, "the added factor did not replace the recovery code");
    }

    [Test]
    public async Task Enrollment_OfAUserWhoGainedAFactorSinceThePlan_IsRefused()
    {
        const string owner = "raced@vault.example";
        await server.AddUserAsync("vault", owner, Password);
        using var attacker = new FormBrowser();
        var attackerEnrollment = await LoginFlow.SignInAsync(attacker, app, owner, Password);
        var emailEnrollment = await LoginFlow.FollowAsync(attacker, attackerEnrollment, "use-email");
        var sent = await attacker.SubmitAsync(emailEnrollment, new Dictionary<string, string> { ["Address"] = "attacker@evil.example" }, formWithField: "Address");

        using var ownerBrowser = new FormBrowser();
        var ownerEnrollment = await LoginFlow.SignInAsync(ownerBrowser, app, owner, Password);
        await LoginFlow.SubmitCodeAsync(ownerBrowser, ownerEnrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(ownerEnrollment)));
        var refused = await LoginFlow.SubmitCodeAsync(attacker, sent, LoginFlow.EmailedCode(server, "attacker@evil.example"));

        Assert.Multiple(() =>
        {
            Assert.That(attackerEnrollment.Url.AbsolutePath, Is.EqualTo("/vault/mfa/enroll"), "the user had no factor when the attacker's login was planned");
            Assert.That(refused.Text("mfa-error"), Is.EqualTo(
                "This account already has a way to verify sign-ins. Sign in again and verify with it before you add another."));
        });
        Assert.That((int)(await attacker.GetAsync(app.BaseUrl + "/me.json")).Status, Is.Not.EqualTo(200));
    }

    [Test]
    public async Task ChallengeWithEmail_RefusesAValidAuthenticatorCode()
    {
        const string owner = "email-only-challenge@vault.example";
        await server.AddUserAsync("vault", owner, Password);
        var (key, _) = await EnrollTotpAsync(owner);
        await server.UpdateUserAsync("vault", owner, user => user.AppMetadataJson = """{"mfa":{"challenge":"email"}}""");

        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, owner, Password);
        var page = await PostAuthenticatorCodeAsync(browser, challenge, LoginFlow.CodeFor(key, 1));

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Document.GetElementById("send-email"), Is.Not.Null, "the plan challenges with email only");
            Assert.That(page.Text("mfa-error"), Is.EqualTo(
                "This sign-in does not accept a code of this kind (authenticator app). Use one of the ways shown on this page."));
        });
        Assert.That((int)(await browser.GetAsync(app.BaseUrl + "/me.json")).Status, Is.Not.EqualTo(200), "no tokens for a factor the rules did not allow");
    }

    [Test]
    public async Task TenantWithoutOtpEnabled_RefusesAValidAuthenticatorCode()
    {
        await server.AddTenantAsync("mailonly");
        await server.SetRulesAsync("mailonly", ("010-mfa", "function (user, context, callback) { context.multifactor = { provider: 'any' }; callback(null, user, context); }"));
        await using var mailApp = await RelyingParty.StartAsync(server, "mailonly", "mailonly-web");
        await server.AddUserAsync("mailonly", "user@mailonly.example", Password);
        byte[] key;
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, mailApp, "user@mailonly.example", Password);
            key = LoginFlow.KeyFrom(enrollment);
            await LoginFlow.SubmitCodeAsync(enrolling, enrollment, LoginFlow.CodeFor(key));
        }

        await server.SetSettingsAsync("mailonly", new TenantSettings { EnabledFactors = ["email", "recovery-code"] });
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, mailApp, "user@mailonly.example", Password);
        var page = await PostAuthenticatorCodeAsync(browser, challenge, LoginFlow.CodeFor(key, 1));

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Document.GetElementById("send-email"), Is.Not.Null, "only email is enabled now");
            Assert.That(page.Text("mfa-error"), Does.StartWith("This sign-in does not accept a code of this kind (authenticator app)."));
        });
        Assert.That((int)(await browser.GetAsync(mailApp.BaseUrl + "/me.json")).Status, Is.Not.EqualTo(200));
    }

    [Test]
    public async Task EnrollWithEmail_RefusesConfirmingAnAuthenticatorStartedEarlier()
    {
        const string owner = "pending-totp@vault.example";
        await server.AddUserAsync("vault", owner, Password);
        byte[] key;
        using (var abandoned = new FormBrowser())
        {
            key = LoginFlow.KeyFrom(await LoginFlow.SignInAsync(abandoned, app, owner, Password));
        }

        await server.UpdateUserAsync("vault", owner, user => user.AppMetadataJson = """{"mfa":{"enroll":"email"}}""");
        using var browser = new FormBrowser();
        var emailEnrollment = await LoginFlow.SignInAsync(browser, app, owner, Password);
        var response = await browser.PostAsync(emailEnrollment.Url.ToString(), new Dictionary<string, string>
        {
            ["Factor"] = "otp", ["FactorAction"] = "verify", ["Code"] = LoginFlow.CodeFor(key), ["__RequestVerificationToken"] = Antiforgery(emailEnrollment),
        });
        var page = await FormBrowser.Page.FromAsync(response);

        Assert.Multiple(() =>
        {
            Assert.That(emailEnrollment.Document.GetElementById("address"), Is.Not.Null, "the plan enrolls email only");
            Assert.That(page.Text("mfa-error"), Is.EqualTo("This sign-in does not offer to set up this factor."));
        });
        Assert.That((int)(await browser.GetAsync(app.BaseUrl + "/me.json")).Status, Is.Not.EqualTo(200));
    }

    [Test]
    public async Task EnrollWithSecurityKey_ForAUserWhoHasTotp_ChallengesTotpAndRefusesAKeyPostedBeforeIt()
    {
        await server.AddTenantAsync("keyvault", new TenantSettings { EnabledFactors = ["otp", "webauthn-roaming", "recovery-code"] });
        await server.SetRulesAsync("keyvault", ("010-mfa", RulesByMetadata));
        await using var keyApp = await RelyingParty.StartAsync(server, "keyvault", "keyvault-web");
        const string owner = "key-owner@keyvault.example";
        await server.AddUserAsync("keyvault", owner, Password, appMetadata: new { mfa = new { enroll = "otp" } });
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, keyApp, owner, Password);
            await LoginFlow.SubmitCodeAsync(enrolling, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        }

        await server.UpdateUserAsync("keyvault", owner, user => user.AppMetadataJson = """{"mfa":{"enroll":"webauthn-roaming"}}""");
        using var attacker = new FormBrowser();
        var landing = await LoginFlow.SignInAsync(attacker, keyApp, owner, Password);
        var refused = await FormBrowser.Page.FromAsync(await attacker.PostAsync($"{server.Issuer("keyvault")}/mfa/enroll?returnUrl=%2F", new Dictionary<string, string>
        {
            ["Factor"] = "webauthn-roaming", ["FactorAction"] = "register", ["Name"] = "Attacker's key", ["CeremonyId"] = "1", ["Credential"] = "{}",
            ["__RequestVerificationToken"] = Antiforgery(landing),
        }));

        Assert.Multiple(() =>
        {
            Assert.That(landing.Url.AbsolutePath, Is.EqualTo("/keyvault/mfa"), "the password alone meets the owner's authenticator app first");
            Assert.That(landing.Document.QuerySelector("input[name=Factor]")?.GetAttribute("value"), Is.EqualTo("otp"));
            Assert.That(refused.Text("mfa-error"), Is.EqualTo("This sign-in does not offer to set up this factor."));
        });
    }

    [Test]
    public async Task RulesAskingOnlyForADisabledFactor_EndTheLogin_AndTheChallengeOffersNothing()
    {
        await server.AddTenantAsync("nootp");
        await server.SetRulesAsync("nootp", ("010-mfa", RulesByMetadata));
        await using var noOtpApp = await RelyingParty.StartAsync(server, "nootp", "nootp-web");
        const string owner = "owner@nootp.example";
        await server.AddUserAsync("nootp", owner, Password, appMetadata: new { mfa = new { challenge = "otp" } });
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, noOtpApp, owner, Password);
            await LoginFlow.SubmitCodeAsync(enrolling, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        }

        await server.SetSettingsAsync("nootp", new TenantSettings { EnabledFactors = ["email", "recovery-code"] });
        using var browser = new FormBrowser();
        var unavailable = await LoginFlow.SignInAsync(browser, noOtpApp, owner, Password);
        var challenge = await browser.GetAsync($"{server.Issuer("nootp")}/mfa?returnUrl=%2F");
        var back = await LoginFlow.FollowAsync(browser, unavailable, "back-to-app");

        Assert.Multiple(() =>
        {
            Assert.That(unavailable.Url.AbsolutePath, Is.EqualTo("/nootp/mfa/unavailable"));
            Assert.That(unavailable.Text("unavailable-factors"), Is.EqualTo("Authenticator app"));
            Assert.That(challenge.Text("mfa-error"), Is.EqualTo("This sign-in cannot be completed. Go back to the application."));
            Assert.That(challenge.Document.GetElementById("code"), Is.Null, "no factor is offered, not even one this host serves");
            Assert.That(back.Url.AbsolutePath, Is.EqualTo("/error"), "the application is told the sign-in failed");
            Assert.That(back.Text("error"), Is.EqualTo("access_denied"));
        });
        Assert.That((int)(await browser.GetAsync(noOtpApp.BaseUrl + "/me.json")).Status, Is.Not.EqualTo(200));
    }

    [Test]
    public async Task AuthenticatorCode_PostedUnderAnActionTheFormDoesNotSend_IsNotChecked()
    {
        const string owner = "action-totp@vault.example";
        await server.AddUserAsync("vault", owner, Password);
        var (key, _) = await EnrollTotpAsync(owner);
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, owner, Password);
        var code = LoginFlow.CodeFor(key, stepsAhead: 1);

        var dodged = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = code, ["FactorAction"] = "check" }, formWithField: "Code");
        var signedIn = await LoginFlow.SubmitCodeAsync(browser, dodged, code);

        Assert.Multiple(() =>
        {
            Assert.That(dodged.Url.AbsolutePath, Is.EqualTo("/vault/mfa"), "a right code under another action does not pass");
            Assert.That(dodged.Text("mfa-error"), Is.EqualTo(UnknownActionMessage));
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "the code was not checked (nor used) outside the attempt bucket");
        });
    }

    [Test]
    public async Task RecoveryCode_PostedUnderAnActionTheFormDoesNotSend_IsNotRedeemed()
    {
        const string owner = "action-recovery@vault.example";
        await server.AddUserAsync("vault", owner, Password);
        var (_, recoveryCode) = await EnrollTotpAsync(owner);
        using var browser = new FormBrowser();
        var form = await LoginFlow.FollowAsync(browser, await LoginFlow.SignInAsync(browser, app, owner, Password), "use-recovery-code");

        var dodged = await browser.SubmitAsync(form, new Dictionary<string, string> { ["RecoveryCode"] = recoveryCode, ["FactorAction"] = "" }, formWithField: "RecoveryCode");

        Assert.Multiple(() =>
        {
            Assert.That(dodged.Text("recovery-code"), Is.Null, "the recovery code did not pass");
            Assert.That(dodged.Text("mfa-error"), Is.EqualTo(UnknownActionMessage));
        });
        Assert.That(await RecoveryCodeWorksAsync(owner, recoveryCode), Is.True, "and it was not used up");
    }

    [Test]
    public async Task EmailedCode_PostedUnderAnActionTheFormDoesNotSend_IsNotChecked()
    {
        const string owner = "action-email@vault.example";
        const string address = "action-email-inbox@vault.example";
        await server.AddUserAsync("vault", owner, Password, appMetadata: new { mfa = new { challenge = "email" } });
        await EnrollEmailAsync(owner, address);
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, owner, Password);
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string>(), formWithField: "FactorAction");
        var code = LoginFlow.EmailedCode(server, address);

        var dodged = await browser.SubmitAsync(codeForm, new Dictionary<string, string> { ["Code"] = code, ["FactorAction"] = "check" }, formWithField: "Code");
        var signedIn = await LoginFlow.SubmitCodeAsync(browser, codeForm, code);

        Assert.Multiple(() =>
        {
            Assert.That(dodged.Url.AbsolutePath, Is.EqualTo("/vault/mfa"));
            Assert.That(dodged.Text("mfa-error"), Is.EqualTo(UnknownActionMessage));
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "the emailed code was not checked (nor used) outside the attempt bucket");
        });
    }

    [Test]
    public async Task EnrollmentCode_PostedUnderAnActionTheFormDoesNotSend_IsNotChecked()
    {
        const string owner = "action-enroll@vault.example";
        await server.AddUserAsync("vault", owner, Password);
        using var browser = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(browser, app, owner, Password);
        var key = LoginFlow.KeyFrom(enrollment);

        var dodged = await browser.SubmitAsync(enrollment, new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key), ["FactorAction"] = "check" }, formWithField: "Code");
        var stillPending = await browser.GetAsync($"{server.Issuer("vault")}/mfa/enroll?returnUrl=%2F");

        Assert.Multiple(() =>
        {
            Assert.That(dodged.Text("recovery-code"), Is.Null, "the authenticator was not confirmed");
            Assert.That(dodged.Text("mfa-error"), Is.EqualTo(UnknownActionMessage));
            Assert.That(stillPending.Document.GetElementById("secret-key"), Is.Not.Null, "the enrollment still waits for a code");
        });
    }

    private static string UnknownActionMessage => "This page did not send that request. Use the buttons on this page.";

    /// <summary>Enrolls an authenticator app for the user in a throwaway browser; returns its key and the recovery code.</summary>
    private async Task<(byte[] Key, string RecoveryCode)> EnrollTotpAsync(string email)
    {
        using var browser = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(browser, app, email, Password);
        var key = LoginFlow.KeyFrom(enrollment);
        var saved = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(key));
        return (key, saved.Text("recovery-code") ?? throw new AssertionException($"no recovery code after enrolling:\n{saved.Html}"));
    }

    /// <summary>Enrolls an email factor at <paramref name="address"/> in a throwaway browser; returns the recovery code.</summary>
    private async Task<string> EnrollEmailAsync(string email, string address)
    {
        using var browser = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(browser, app, email, Password);
        var sent = await browser.SubmitAsync(enrollment, new Dictionary<string, string> { ["Address"] = address }, formWithField: "Address");
        var saved = await LoginFlow.SubmitCodeAsync(browser, sent, LoginFlow.EmailedCode(server, address));
        return saved.Text("recovery-code") ?? throw new AssertionException($"no recovery code after enrolling:\n{saved.Html}");
    }

    /// <summary>Signs in with the recovery code; true when it let the user in.</summary>
    private async Task<bool> RecoveryCodeWorksAsync(string email, string recoveryCode)
    {
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var saved = await LoginFlow.UseRecoveryCodeAsync(browser, challenge, recoveryCode);
        return saved.Text("recovery-code") is not null;
    }

    /// <summary>Posts an authenticator code to the challenge's own handler, as a hand-made form would, whatever the page offers.</summary>
    private static async Task<FormBrowser.Page> PostAuthenticatorCodeAsync(FormBrowser browser, FormBrowser.Page challenge, string code) =>
        await FormBrowser.Page.FromAsync(await browser.PostAsync(challenge.Url.ToString(), new Dictionary<string, string>
        {
            ["Factor"] = "otp", ["FactorAction"] = "verify", ["Code"] = code, ["__RequestVerificationToken"] = Antiforgery(challenge),
        }));

    private static string Antiforgery(FormBrowser.Page page) =>
        page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new AssertionException($"no antiforgery token on {page.Url}:\n{page.Html}");

    private string LastMessageTo(string address)
    {
        var outbox = File.ReadAllText(Path.Combine(server.DataFolder, OutboxEmailSender.DefaultFileName));
        var start = outbox.LastIndexOf($"To: {address}", StringComparison.Ordinal);
        return start < 0 ? "" : outbox[start..];
    }
}
