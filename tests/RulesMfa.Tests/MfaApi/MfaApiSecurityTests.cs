using System.Net;
using RulesMfa.Host.MfaApi;
using RulesMfa.Tests.EndToEnd;
using static RulesMfa.Tests.MfaApi.MfaApiScenario;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// The MFA API keeps the hosted pages' guarantees: one bucket of wrong codes, replay refusal, single use of the
/// <c>mfa_token</c>, a password alone never adds or removes a factor of an account that has one, a recovery code shown
/// for an enrollment never confirmed is never valid, and tokens stay in their tenant.
/// </summary>
[NonParallelizable]
public sealed class MfaApiSecurityTests
{
    private RulesMfaServer server = null!;
    private MfaApiHttp api = null!;
    private MfaApiHttp otherTenant = null!;
    private int users;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        api = await StartTenantAsync(server, "vault", "vault-cli");
        otherTenant = await StartTenantAsync(server, "elsewhere", "elsewhere-cli");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        otherTenant.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task EleventhCode_AfterTenWrongOnes_IsTooManyAttempts_EvenWhenRight()
    {
        var email = await NewUserAsync();
        var (uri, _) = await EnrollOtpAsync(api, email);
        var token = await MfaTokenAsync(api, email);

        var wrong = new List<string>();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            wrong.Add((await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", "000000"))).Body!["error_description"]!.GetValue<string>());
        }

        var (status, eleventh) = await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", CodeFor(uri, stepsAhead: 1)));

        Assert.Multiple(() =>
        {
            Assert.That(wrong, Is.All.EqualTo(MfaApiErrors.InvalidOtp));
            Assert.That(status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(eleventh!["error"]!.GetValue<string>(), Is.EqualTo("too_many_attempts"));
        });
    }

    [Test]
    public async Task WrongCodes_OnTheHostedPagesAndThroughTheApi_DrawFromOneBucket()
    {
        var email = await NewUserAsync();
        var (uri, _) = await EnrollOtpAsync(api, email);
        await using var pages = await RelyingParty.StartAsync(server, "vault", "vault-web");
        using var browser = new FormBrowser();
        var page = await LoginFlow.SignInAsync(browser, pages, email, Password);
        var onPages = new List<string?>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            page = await LoginFlow.SubmitCodeAsync(browser, page, "000000");
            onPages.Add(page.Text("mfa-error"));
        }

        var token = await MfaTokenAsync(api, email);
        var throughApi = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            throughApi.Add((await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", "000000"))).Body!["error_description"]!.GetValue<string>());
        }

        var (status, eleventh) = await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", CodeFor(uri, stepsAhead: 1)));

        Assert.Multiple(() =>
        {
            Assert.That(onPages, Has.All.Not.Null.And.All.Not.StartWith("Too many"), "five wrong codes on the pages, each refused as wrong");
            Assert.That(throughApi, Is.All.EqualTo(MfaApiErrors.InvalidOtp));
            Assert.That(status, Is.EqualTo(HttpStatusCode.TooManyRequests), "the pages' five and the API's five empty the one bucket of ten");
            Assert.That(eleventh!["error"]!.GetValue<string>(), Is.EqualTo("too_many_attempts"));
        });
    }

    [Test]
    public async Task Code_UsedInOneLogin_IsRefusedInTheNext_AndTheNextStepsCodeIsNot()
    {
        var email = await NewUserAsync();
        var (uri, _) = await EnrollOtpAsync(api, email);
        var used = CodeFor(uri);

        var replayed = await api.GrantAsync(MfaGrantTypes.Otp, await MfaTokenAsync(api, email), ("otp", used));
        var next = await api.GrantAsync(MfaGrantTypes.Otp, await MfaTokenAsync(api, email), ("otp", CodeFor(uri, stepsAhead: 1)));

        Assert.Multiple(() =>
        {
            Assert.That(replayed.Body!.ToJsonString(), Is.EqualTo("""{"error":"invalid_grant","error_description":"Invalid otp_code."}"""));
            Assert.That(next.Status, Is.EqualTo(HttpStatusCode.OK), "the control: a fresh code passes");
        });
    }

    [Test]
    public async Task MfaToken_OnceItsLoginCompleted_IsExpired()
    {
        var email = await NewUserAsync();
        var (_, recoveryCode) = await EnrollOtpAsync(api, email);
        var token = await MfaTokenAsync(api, email);
        var (_, first) = await api.GrantAsync(MfaGrantTypes.RecoveryCode, token, ("recovery_code", recoveryCode));

        var again = await api.GrantAsync(MfaGrantTypes.RecoveryCode, token, ("recovery_code", first!["recovery_code"]!.GetValue<string>()));

        Assert.Multiple(() =>
        {
            Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(again.Body!.ToJsonString(), Is.EqualTo("""{"error":"expired_token","error_description":"mfa_token is expired"}"""));
        });
    }

    [Test]
    public async Task Associate_ByThePasswordAloneOfAnEnrolledUser_IsUserIsAlreadyEnrolled_AndHandsOutNoKey()
    {
        var email = await NewUserAsync();
        await EnrollOtpAsync(api, email);
        var token = await MfaTokenAsync(api, email);

        var (status, body) = await api.AssociateAsync(token, new { authenticator_types = new[] { "otp" } });
        var (emailStatus, _) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "email" }, email = "attacker@evil.example" });

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"access_denied","error_description":"User is already enrolled"}"""));
            Assert.That(emailStatus, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(File.Exists(Outbox) ? File.ReadAllText(Outbox) : "", Does.Not.Contain("attacker@evil.example"), "no code went to the attacker's address");
        });
    }

    [Test]
    public async Task MfaToken_HoldsTheRulesChoiceOfFactor_AnotherFactorCannotBeSetUpWithIt()
    {
        var email = await NewUserAsync(new { enroll = "otp" });
        var (_, required) = await api.PasswordAsync(email, Password);
        var token = required!["mfa_token"]!.GetValue<string>();

        var (emailStatus, emailBody) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "email" } });
        var (otpStatus, _) = await api.AssociateAsync(token, new { authenticator_types = new[] { "otp" } });

        Assert.Multiple(() =>
        {
            Assert.That(required["mfa_requirements"]!.ToJsonString(), Is.EqualTo("""{"enroll":[{"type":"otp"}]}"""), "the rule's enrollWith otp");
            Assert.That(emailStatus, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(emailBody!["error"]!.GetValue<string>(), Is.EqualTo("access_denied"));
            Assert.That(emailBody["error_description"]!.GetValue<string>(), Does.StartWith("This sign-in does not offer to set up "));
            Assert.That(File.Exists(Outbox) ? File.ReadAllText(Outbox) : "", Does.Not.Contain(email), "no code was emailed");
            Assert.That(otpStatus, Is.EqualTo(HttpStatusCode.OK), "the factor the rule asked for");
        });
    }

    [Test]
    public async Task RemoveAuthenticator_WithTheMfaTokenOfAPassword_Is401_AndTheAuthenticatorStays()
    {
        var email = await NewUserAsync();
        await EnrollOtpAsync(api, email);
        var token = await MfaTokenAsync(api, email);
        var id = (await api.AuthenticatorsAsync(token)).Body!.AsArray().Single(item => item!["authenticator_type"]!.GetValue<string>() == "otp")!["id"]!.GetValue<string>();

        var (status, _) = await api.RemoveAsync(token, id);
        var after = (await api.AuthenticatorsAsync(token)).Body!.AsArray().Select(item => item!["id"]!.GetValue<string>());

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(after, Does.Contain(id));
        });
    }

    [Test]
    public async Task RecoveryCode_ShownForAnEnrollmentNeverConfirmed_NeverWorks_AndTheOwnersFirstEnrollmentGetsItsOwn()
    {
        var email = await NewUserAsync();
        var attackerToken = await MfaTokenAsync(api, email);
        var (_, attackerAssociation) = await api.AssociateAsync(attackerToken, new { authenticator_types = new[] { "otp" } });
        var attackerCode = attackerAssociation!["recovery_codes"]![0]!.GetValue<string>();

        var (_, ownerCode) = await EnrollOtpAsync(api, email);
        var (status, body) = await api.GrantAsync(MfaGrantTypes.RecoveryCode, await MfaTokenAsync(api, email), ("recovery_code", attackerCode));
        var owner = await api.GrantAsync(MfaGrantTypes.RecoveryCode, await MfaTokenAsync(api, email), ("recovery_code", ownerCode));

        Assert.Multiple(() =>
        {
            Assert.That(ownerCode, Is.Not.EqualTo(attackerCode));
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(body!["error_description"]!.GetValue<string>(), Is.EqualTo(MfaApiErrors.InvalidRecoveryCode));
            Assert.That(owner.Status, Is.EqualTo(HttpStatusCode.OK), "the owner's own code works");
        });
    }

    [Test]
    public async Task MfaToken_OfAnotherTenant_IsMalformedHere()
    {
        var email = await NewUserAsync();
        await server.AddUserAsync("elsewhere", email, Password);
        var token = await MfaTokenAsync(otherTenant, email);

        var (status, body) = await api.AuthenticatorsAsync(token);
        var grant = await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", "123456"));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(body!["error_description"]!.GetValue<string>(), Is.EqualTo(MfaApiErrors.MalformedToken));
            Assert.That(grant.Body!["error_description"]!.GetValue<string>(), Is.EqualTo(MfaApiErrors.MalformedToken));
        });
    }

    [Test]
    public async Task PasswordGrant_WrongPasswordsPastTheFreeOnes_AreTooManyAttempts_EvenWithTheRightPassword()
    {
        // Its own tenant: failures also count per address and tenant, and every test here comes from 127.0.0.1.
        using var locked = await StartTenantAsync(server, "lockout", "lockout-cli");
        await server.AddUserAsync("lockout", "locked@lockout.example", Password);

        var answers = new List<(HttpStatusCode Status, string Error)>();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var (status, body) = await locked.PasswordAsync("locked@lockout.example", "not the password");
            answers.Add((status, body!["error"]!.GetValue<string>()));
        }

        var (rightStatus, right) = await locked.PasswordAsync("locked@lockout.example", Password);

        Assert.Multiple(() =>
        {
            Assert.That(answers.Take(5), Is.All.EqualTo((HttpStatusCode.Forbidden, "invalid_grant")), "the first five failures cost nothing");
            Assert.That(answers[^1], Is.EqualTo((HttpStatusCode.TooManyRequests, "too_many_attempts")));
            Assert.That(rightStatus, Is.EqualTo(HttpStatusCode.TooManyRequests), "blocked even with the right password");
            Assert.That(right!["error_description"]!.GetValue<string>(), Does.StartWith("Too many failed sign-ins. Wait "));
        });
    }

    private string Outbox => Path.Combine(server.DataFolder, Host.Mfa.OutboxEmailSender.DefaultFileName);

    private async Task<string> NewUserAsync(object? appMetadata = null)
    {
        var email = $"user{Interlocked.Increment(ref users)}@vault.example";
        await server.AddUserAsync("vault", email, Password, appMetadata);
        return email;
    }
}
