using System.Net;
using System.Text.Json.Nodes;
using RulesMfa.Host.MfaApi;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Oidc;
using static RulesMfa.Tests.MfaApi.MfaApiScenario;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// Every answer and error of the MFA API compared field by field with Auth0's wire format (<c>notes/mfa-api-facts.md</c>):
/// <c>mfa_required</c>, <c>associate</c>, <c>authenticators</c>, <c>challenge</c>, the three grants, and their errors.
/// </summary>
[NonParallelizable]
public sealed class MfaApiWireTests
{
    private readonly ShiftedTimeProvider clock = new();
    private RulesMfaServer server = null!;
    private MfaApiHttp api = null!;
    private int users;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync(clock);
        api = await StartTenantAsync(server, "wire", "wire-app");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
    }

    [SetUp]
    public void ResetClock() => clock.Offset = TimeSpan.Zero;

    [Test]
    public async Task PasswordGrant_UserWithoutFactor_Answers403MfaRequiredWithEnrollRequirements()
    {
        var email = await NewUserAsync();

        var (status, body) = await api.PasswordAsync(email, Password);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(Fields(body), Is.EqualTo(new[] { "error", "error_description", "mfa_requirements", "mfa_token" }));
            Assert.That(body!["error"]!.GetValue<string>(), Is.EqualTo("mfa_required"));
            Assert.That(body["error_description"]!.GetValue<string>(), Is.EqualTo("Multifactor authentication required"));
            Assert.That(body["mfa_requirements"]!.ToJsonString(), Is.EqualTo("""{"enroll":[{"type":"otp"},{"type":"email"}]}"""));
            Assert.That(body["mfa_token"]!.GetValue<string>(), Has.Length.GreaterThanOrEqualTo(43));
        });
    }

    [Test]
    public async Task PasswordRealmGrant_WithTheRealm_AnswersAsThePasswordGrant_AndAnUnknownOrMissingRealmIsInvalidRequest()
    {
        var email = await NewUserAsync();
        Dictionary<string, string> Realm(string? realm) => new Dictionary<string, string>
        {
            ["grant_type"] = MfaGrantTypes.PasswordRealm, ["username"] = email, ["password"] = Password, ["scope"] = "openid",
        }.WithOptional("realm", realm);

        var (status, body) = await api.TokenAsync(Realm("Username-Password-Authentication"));
        var unknown = await api.TokenAsync(Realm("google-oauth2"));
        var missing = await api.TokenAsync(Realm(null));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(Fields(body), Is.EqualTo(new[] { "error", "error_description", "mfa_requirements", "mfa_token" }));
            Assert.That(body!["error"]!.GetValue<string>(), Is.EqualTo("mfa_required"));
            Assert.That(unknown.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknown.Body!.ToJsonString(), Is.EqualTo(
                """{"error":"invalid_request","error_description":"Unknown realm: this tenant has one connection, Username-Password-Authentication."}"""));
            Assert.That(missing.Body!.ToJsonString(), Is.EqualTo("""{"error":"invalid_request","error_description":"Missing required parameter: realm"}"""));
        });
    }

    [Test]
    public async Task AssociateOtp_ThenMfaOtpGrant_AnswerAuth0sFields_AndTokensSayHowTheUserSignedIn()
    {
        var email = await NewUserAsync();
        var token = await MfaTokenAsync(api, email);

        var (associateStatus, associated) = await api.AssociateAsync(token, new { authenticator_types = new[] { "otp" } });
        var uri = associated!["barcode_uri"]!.GetValue<string>();
        var (grantStatus, tokens) = await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", CodeFor(uri)));
        var idToken = JwtPayload(tokens!["id_token"]!.GetValue<string>());

        Assert.Multiple(() =>
        {
            Assert.That(associateStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Fields(associated), Is.EqualTo(new[] { "authenticator_type", "barcode_uri", "recovery_codes", "secret" }));
            Assert.That(associated["authenticator_type"]!.GetValue<string>(), Is.EqualTo("otp"));
            Assert.That(uri, Does.Match($@"^otpauth://totp/Api%20Tenant:{Uri.EscapeDataString(email)}\?secret={associated["secret"]!.GetValue<string>()}&issuer=Api%20Tenant&algorithm=SHA1&digits=6&period=30$"));
            Assert.That(associated["recovery_codes"]!.AsArray().Select(code => code!.GetValue<string>()).Single(), Does.Match("^[A-Z0-9]{24}$"));
            Assert.That(grantStatus, Is.EqualTo(HttpStatusCode.OK), tokens!.ToJsonString());
            Assert.That(tokens["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
            Assert.That(tokens["access_token"], Is.Not.Null);
            Assert.That(idToken["amr"]!.AsArray().Select(value => value!.GetValue<string>()), Is.EquivalentTo(new[] { "pwd", "otp", "mfa" }));
            Assert.That(idToken["acr"]!.GetValue<string>(), Is.EqualTo("http://schemas.openid.net/pape/policies/2007/06/multi-factor"));
            Assert.That(idToken[ProtocolClaim]!.GetValue<string>(), Is.EqualTo("oauth2-password"), "the rules ran with Auth0's protocol of the password grant");
        });
    }

    [Test]
    public async Task SecondLogin_ChallengeRequirementsAuthenticatorsAndChallenge_AreAuth0s()
    {
        var email = await NewUserAsync();
        await EnrollOtpAsync(api, email);

        var (_, required) = await api.PasswordAsync(email, Password);
        var token = required!["mfa_token"]!.GetValue<string>();
        var (listStatus, list) = await api.AuthenticatorsAsync(token);
        var (challengeStatus, challenge) = await api.ChallengeAsync(token, "otp");
        var totp = list!.AsArray().Single(item => item!["authenticator_type"]!.GetValue<string>() == "otp")!;
        var emailAuthenticator = list.AsArray().Single(item => item!["type"]!.GetValue<string>() == "email")!;
        var recovery = list.AsArray().Single(item => item!["authenticator_type"]!.GetValue<string>() == "recovery-code")!;

        Assert.Multiple(() =>
        {
            Assert.That(required["mfa_requirements"]!.ToJsonString(), Is.EqualTo("""{"challenge":[{"type":"otp"},{"type":"email"},{"type":"recovery-code"}]}"""));
            Assert.That(listStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(list.AsArray(), Has.Count.EqualTo(3));
            Assert.That(Fields(totp), Is.EqualTo(new[] { "active", "authenticator_type", "id", "type" }));
            Assert.That(totp["id"]!.GetValue<string>(), Does.Match(@"^totp\|dev_\d+$"));
            Assert.That(totp["active"]!.GetValue<bool>(), Is.True);
            Assert.That(Fields(emailAuthenticator), Is.EqualTo(new[] { "active", "authenticator_type", "id", "name", "oob_channel", "oob_channels", "type" }));
            Assert.That(emailAuthenticator["authenticator_type"]!.GetValue<string>(), Is.EqualTo("oob"));
            Assert.That(emailAuthenticator["oob_channel"]!.GetValue<string>(), Is.EqualTo("email"));
            Assert.That(emailAuthenticator["oob_channels"]!.ToJsonString(), Is.EqualTo("""["email"]"""));
            Assert.That(emailAuthenticator["name"]!.GetValue<string>(), Does.Not.Contain(email.Split('@')[0]), "the address is masked");
            Assert.That(recovery["id"]!.GetValue<string>(), Does.Match(@"^recovery-code\|dev_\d+$"));
            Assert.That(challengeStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(challenge!.ToJsonString(), Is.EqualTo("""{"challenge_type":"otp"}"""));
        });
    }

    [Test]
    public async Task EmailChallenge_AnswersOobCodeAndPrompt_AndTheMfaOobGrantTakesTheEmailedBindingCode()
    {
        var email = await NewUserAsync();
        await EnrollOtpAsync(api, email);
        var token = await MfaTokenAsync(api, email);

        var (status, challenge) = await api.ChallengeAsync(token, "oob");
        var oobCode = challenge!["oob_code"]!.GetValue<string>();
        var (wrongStatus, wrong) = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode), ("binding_code", "000000"));
        var (missingStatus, missing) = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode));
        var (rightStatus, tokens) = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode), ("binding_code", LoginFlow.EmailedCode(server, email)));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Fields(challenge), Is.EqualTo(new[] { "binding_method", "challenge_type", "oob_code" }));
            Assert.That(challenge["challenge_type"]!.GetValue<string>(), Is.EqualTo("oob"));
            Assert.That(challenge["binding_method"]!.GetValue<string>(), Is.EqualTo("prompt"));
            Assert.That(wrongStatus, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(wrong!.ToJsonString(), Is.EqualTo("""{"error":"invalid_grant","error_description":"Invalid binding_code."}"""));
            Assert.That(missingStatus, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(missing!.ToJsonString(), Is.EqualTo("""{"error":"invalid_request","error_description":"Missing required parameter: binding_code"}"""));
            Assert.That(rightStatus, Is.EqualTo(HttpStatusCode.OK), tokens!.ToJsonString());
        });
    }

    [Test]
    public async Task RecoveryCodeGrant_AnswersTokensAndTheNewRecoveryCode()
    {
        var email = await NewUserAsync();
        var (_, recoveryCode) = await EnrollOtpAsync(api, email);
        var token = await MfaTokenAsync(api, email);

        var (status, tokens) = await api.GrantAsync(MfaGrantTypes.RecoveryCode, token, ("recovery_code", recoveryCode));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), tokens!.ToJsonString());
            Assert.That(tokens["recovery_code"]!.GetValue<string>(), Does.Match("^[A-Z0-9]{24}$").And.Not.EqualTo(recoveryCode));
            Assert.That(tokens["access_token"], Is.Not.Null);
        });
    }

    [Test]
    public async Task TokenErrors_AreAuth0sStrings()
    {
        var email = await NewUserAsync();
        var (uri, _) = await EnrollOtpAsync(api, email);
        var token = await MfaTokenAsync(api, email);
        var tampered = (token[0] == 'A' ? "B" : "A") + token[1..];
        var (otherClient, otherSecret) = await MfaApiHttp.AddPasswordClientAsync(server, "wire", $"other-{Guid.NewGuid():N}");
        using var other = new MfaApiHttp(api.Issuer, otherClient, otherSecret);

        var wrongCode = await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", CodeFor(uri, stepsAhead: 5)));
        var malformed = await api.GrantAsync(MfaGrantTypes.Otp, tampered, ("otp", CodeFor(uri, stepsAhead: 1)));
        var notThisClient = await other.GrantAsync(MfaGrantTypes.Otp, token, ("otp", CodeFor(uri, stepsAhead: 1)));
        clock.Offset = MfaTokens.Lifetime + TimeSpan.FromSeconds(1);
        var expired = await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", CodeFor(uri, stepsAhead: 1)));

        Assert.Multiple(() =>
        {
            Assert.That(wrongCode.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(wrongCode.Body!.ToJsonString(), Is.EqualTo("""{"error":"invalid_grant","error_description":"Invalid otp_code."}"""));
            Assert.That(malformed.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(malformed.Body!.ToJsonString(), Is.EqualTo("""{"error":"invalid_grant","error_description":"Malformed mfa_token"}"""));
            Assert.That(notThisClient.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(notThisClient.Body!.ToJsonString(), Is.EqualTo("""{"error":"invalid_request","error_description":"mfa_token not issued to this client"}"""));
            Assert.That(expired.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(expired.Body!.ToJsonString(), Is.EqualTo("""{"error":"expired_token","error_description":"mfa_token is expired"}"""));
        });
    }

    [Test]
    public async Task ChallengeErrors_AssociationRequiredAndUnsupportedChallengeType()
    {
        var newcomer = await NewUserAsync();
        var newcomerToken = await MfaTokenAsync(api, newcomer);
        var enrolled = await NewUserAsync();
        await EnrollOtpAsync(api, enrolled);
        var token = await MfaTokenAsync(api, enrolled);

        var associationRequired = await api.ChallengeAsync(newcomerToken, "otp");
        var unsupported = await api.ChallengeAsync(token, "sms");
        var noSuchAuthenticator = await api.ChallengeAsync(token, "oob", authenticatorId: "totp|dev_999999");
        var wrongSecret = await api.ChallengeAsync(token, "otp", secret: "not the secret");

        Assert.Multiple(() =>
        {
            Assert.That(associationRequired.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(associationRequired.Body!["error"]!.GetValue<string>(), Is.EqualTo("association_required"));
            Assert.That(unsupported.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unsupported.Body!["error"]!.GetValue<string>(), Is.EqualTo("unsupported_challenge_type"));
            Assert.That(noSuchAuthenticator.Body!["error"]!.GetValue<string>(), Is.EqualTo("unsupported_challenge_type"));
            Assert.That(wrongSecret.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(wrongSecret.Body!["error"]!.GetValue<string>(), Is.EqualTo("invalid_client"));
        });
    }

    [Test]
    public async Task DenyRule_OnThePasswordGrant_IsAccessDeniedWithTheRulesDescription()
    {
        var email = await NewUserAsync(new { deny = "Logins from this app are closed tonight." });

        var (status, body) = await api.PasswordAsync(email, Password);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"access_denied","error_description":"Logins from this app are closed tonight."}"""));
        });
    }

    [Test]
    public async Task PasswordGrant_ForAClientNotAllowedIt_IsRefusedByOpenIddict_AndWrongPasswordIsInvalidGrant()
    {
        var email = await NewUserAsync();
        var secret = await server.AddClientAsync("wire", "code-flow-only", "http://127.0.0.1:9");
        using var notAllowed = new MfaApiHttp(api.Issuer, "code-flow-only", secret);

        var refused = await notAllowed.PasswordAsync(email, Password);
        var wrongPassword = await api.PasswordAsync(email, "not the password");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(refused.Body!["error"]!.GetValue<string>(), Is.EqualTo("unauthorized_client"));
            Assert.That(wrongPassword.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(wrongPassword.Body!.ToJsonString(), Is.EqualTo("""{"error":"invalid_grant","error_description":"Wrong email or password."}"""));
        });
    }

    [Test]
    public async Task Refresh_ThatNeedsMfa_AnswersMfaRequired_AndTheOtpGrantGivesNewTokens()
    {
        var email = await NewUserAsync(new { noMfa = true });
        var (_, first) = await api.PasswordAsync(email, Password, scope: "openid offline_access");
        var refreshToken = first!["refresh_token"]!.GetValue<string>();
        await server.UpdateUserAsync("wire", email, user => user.AppMetadataJson = "{}");
        // The rules now demand MFA of a user with no factor: enroll through the API, then refresh again.
        var (status, required) = await api.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });
        var token = required!["mfa_token"]!.GetValue<string>();
        var (_, associated) = await api.AssociateAsync(token, new { authenticator_types = new[] { "otp" } });
        var (grantStatus, tokens) = await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", CodeFor(associated!["barcode_uri"]!.GetValue<string>())));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(required["error"]!.GetValue<string>(), Is.EqualTo("mfa_required"));
            Assert.That(grantStatus, Is.EqualTo(HttpStatusCode.OK), tokens!.ToJsonString());
            Assert.That(JwtPayload(tokens["id_token"]!.GetValue<string>())["amr"]!.AsArray().Select(value => value!.GetValue<string>()), Does.Contain("mfa"));
            Assert.That(JwtPayload(tokens["id_token"]!.GetValue<string>())[ProtocolClaim]!.GetValue<string>(), Is.EqualTo("oauth2-refresh-token"),
                "the rules ran with Auth0's protocol of a refresh");
        });
    }

    [Test]
    public async Task AccessTokenOfTheMfaAudience_WithScopeEnroll_AddsAnEmailFactor_ConfirmedByTheMfaOobGrant()
    {
        var email = await NewUserAsync();
        var (uri, _) = await EnrollOtpAsync(api, email);
        var token = await MfaTokenAsync(api, email, scope: "openid enroll", audience: api.Audience);
        var (_, managed) = await api.GrantAsync(MfaGrantTypes.Otp, token, ("otp", CodeFor(uri, stepsAhead: 1)));
        var accessToken = managed!["access_token"]!.GetValue<string>();

        var (status, associated) = await api.AssociateAsync(accessToken, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "email" } });
        var (grantStatus, confirmed) = await api.GrantAsync(MfaGrantTypes.Oob, accessToken,
            ("oob_code", associated!["oob_code"]!.GetValue<string>()), ("binding_code", LoginFlow.EmailedCode(server, email)));
        var (_, list) = await api.AuthenticatorsAsync(await MfaTokenAsync(api, email));

        Assert.Multiple(() =>
        {
            Assert.That(JwtPayload(accessToken)["aud"]!.ToJsonString(), Does.Contain(api.Audience));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), associated.ToJsonString());
            Assert.That(Fields(associated), Is.EqualTo(new[] { "authenticator_type", "binding_method", "oob_channel", "oob_code" }), "no recovery code: not a first enrollment");
            Assert.That(associated["oob_channel"]!.GetValue<string>(), Is.EqualTo("email"));
            Assert.That(grantStatus, Is.EqualTo(HttpStatusCode.OK), confirmed!.ToJsonString());
            Assert.That(list!.AsArray().Select(item => item!["id"]!.GetValue<string>()), Has.Some.Match(@"^email\|dev_\d+$"));
        });
    }

    [Test]
    public async Task DiscoveryAndOpenApi_ListTheGrantsAndTheEndpoints()
    {
        using var http = new HttpClient();

        var discovery = JsonNode.Parse(await http.GetStringAsync($"{api.Issuer}/.well-known/openid-configuration"))!;
        var openApi = await http.GetStringAsync($"{api.Issuer}/openapi/v1.json");

        Assert.Multiple(() =>
        {
            Assert.That(discovery["grant_types_supported"]!.AsArray().Select(value => value!.GetValue<string>()),
                Is.SupersetOf(new[] { "password", MfaGrantTypes.PasswordRealm, MfaGrantTypes.Otp, MfaGrantTypes.Oob, MfaGrantTypes.RecoveryCode }));
            Assert.That(discovery["scopes_supported"]!.AsArray().Select(value => value!.GetValue<string>()), Is.SupersetOf(MfaGrantTypes.Scopes));
            Assert.That(openApi, Does.Contain("/mfa/associate").And.Contain("/mfa/authenticators/{id}").And.Contain("/mfa/challenge"));
            Assert.That(openApi, Does.Contain(MfaGrantTypes.Otp).And.Contain(MfaGrantTypes.PasswordRealm));
        });
    }

    private async Task<string> NewUserAsync(object? appMetadata = null)
    {
        var email = $"user{Interlocked.Increment(ref users)}@wire.example";
        await server.AddUserAsync("wire", email, Password, appMetadata);
        return email;
    }
}
