using System.Net;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Oidc;
using RulesMfa.Tests.Support;
using static RulesMfa.Tests.MfaApi.MfaApiScenario;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// Push in the MFA API, with the companion device run as a separate process (<c>rulesmfa device …</c>): <c>associate</c>
/// with <c>oob_channels ["auth0"]</c> answers the Guardian enrollment URI; the <c>mfa-oob</c> grant, polled with the
/// <c>oob_code</c>, answers <c>authorization_pending</c> until the device enrolled or answered, <c>slow_down</c> when polled
/// within 5 seconds, <c>access_denied</c> "MFA Authorization rejected." when turned down; an approval gives tokens once.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MfaApiPushTests
{
    private const string Tenant = "pushapi";
    private const string PendingJson = """{"error":"authorization_pending","error_description":"Authorization pending: please repeat the request in a few seconds."}""";
    private const string RejectedJson = """{"error":"access_denied","error_description":"MFA Authorization rejected."}""";

    private readonly ShiftedTimeProvider clock = new();
    private readonly TempFolder devices = new();
    private RulesMfaServer server = null!;
    private MfaApiHttp api = null!;
    private int users;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync(clock);
        await server.AddTenantAsync(Tenant, new TenantSettings { EnabledFactors = [FactorType.PushNotification, FactorType.Otp, FactorType.RecoveryCode] },
            displayName: "Push Api");
        await server.SetRulesAsync(Tenant, ("010-mfa", Rules));
        var (id, secret) = await MfaApiHttp.AddPasswordClientAsync(server, Tenant, "push-cli");
        api = new MfaApiHttp(server.Issuer(Tenant), id, secret);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
        devices.Dispose();
    }

    [SetUp]
    public void ResetClock() => clock.Offset = TimeSpan.Zero;

    [Test]
    public async Task AssociatePush_AnswersTheGuardianUri_AndTheMfaOobGrantWaitsForTheDevice_ThenConfirmsIt()
    {
        var email = await NewUserAsync();
        var (_, required) = await api.PasswordAsync(email, Password);
        var token = required!["mfa_token"]!.GetValue<string>();

        var (status, associated) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "auth0" } });
        var oobCode = associated!["oob_code"]!.GetValue<string>();
        var beforeTheDevice = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode));
        var tooFast = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode));
        var device = NewDevice();
        await device.RunOkAsync("enroll", associated["barcode_uri"]!.GetValue<string>(), "--name", "Api phone");
        clock.Offset += TimeSpan.FromSeconds(6);
        var (grantStatus, tokens) = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode));
        var (_, list) = await api.AuthenticatorsAsync(await MfaTokenAsync(api, email));
        var push = list!.AsArray().Single(item => item!["type"]!.GetValue<string>() == FactorType.PushNotification)!;

        Assert.Multiple(() =>
        {
            Assert.That(required["mfa_requirements"]!.ToJsonString(), Is.EqualTo("""{"enroll":[{"type":"push-notification"},{"type":"otp"}]}"""));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), associated.ToJsonString());
            Assert.That(Fields(associated), Is.EqualTo(new[] { "authenticator_type", "barcode_uri", "oob_channel", "oob_code", "recovery_codes" }));
            Assert.That(associated["authenticator_type"]!.GetValue<string>(), Is.EqualTo("oob"));
            Assert.That(associated["oob_channel"]!.GetValue<string>(), Is.EqualTo("auth0"));
            Assert.That(associated["barcode_uri"]!.GetValue<string>(), Does.StartWith($"otpauth://totp/Push%20Api%3A{Uri.EscapeDataString(email)}?secret=")
                .And.Contain("&enrollment_tx_id=").And.Contain($"&base_url={Uri.EscapeDataString(api.Issuer)}&"));
            Assert.That(beforeTheDevice.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(beforeTheDevice.Body!.ToJsonString(), Is.EqualTo(PendingJson));
            Assert.That(tooFast.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(tooFast.Body!["error"]!.GetValue<string>(), Is.EqualTo("slow_down"), "polled again within 5 seconds");
            Assert.That(grantStatus, Is.EqualTo(HttpStatusCode.OK), tokens!.ToJsonString());
            Assert.That(Amr(tokens), Is.EquivalentTo(new[] { "pwd", "swk", "mfa" }));
            Assert.That(Fields(push), Is.EqualTo(new[] { "active", "authenticator_type", "id", "name", "oob_channel", "oob_channels", "type" }));
            Assert.That(push["id"]!.GetValue<string>(), Does.Match(@"^push\|dev_"));
            Assert.That(push["oob_channel"]!.GetValue<string>(), Is.EqualTo("auth0"));
            Assert.That(push["oob_channels"]!.ToJsonString(), Is.EqualTo("""["auth0"]"""));
            Assert.That(push["type"]!.GetValue<string>(), Is.EqualTo(FactorType.PushNotification));
            Assert.That(push["name"]!.GetValue<string>(), Is.EqualTo("Api phone"));
        });
    }

    [Test]
    public async Task PushChallenge_AnswersOobCodeAndTheDigits_PendingUntilTheDeviceApproves_ThenTokensOnce()
    {
        var (email, device, _) = await EnrolledUserAsync();
        var (_, required) = await api.PasswordAsync(email, Password);
        var token = required!["mfa_token"]!.GetValue<string>();
        var (_, list) = await api.AuthenticatorsAsync(token);
        var pushId = list!.AsArray().Single(item => item!["type"]!.GetValue<string>() == FactorType.PushNotification)!["id"]!.GetValue<string>();

        var (status, challenge) = await api.ChallengeAsync(token, "oob", authenticatorId: pushId);
        var oobCode = challenge!["oob_code"]!.GetValue<string>();
        var waiting = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode));
        var approved = await device.RunOkAsync("approve", await device.PendingIdAsync(), "--digits", challenge[ChallengeEndpoint.DigitsField]!.GetValue<string>());
        clock.Offset += TimeSpan.FromSeconds(6);
        var (grantStatus, tokens) = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode));
        clock.Offset += TimeSpan.FromSeconds(6);
        var again = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode));

        Assert.Multiple(() =>
        {
            Assert.That(required["mfa_requirements"]!.ToJsonString(), Is.EqualTo("""{"challenge":[{"type":"push-notification"},{"type":"recovery-code"}]}"""));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), challenge.ToJsonString());
            Assert.That(Fields(challenge), Is.EqualTo(new[] { "challenge_type", "oob_code", ChallengeEndpoint.DigitsField }),
                "Auth0's push answer, and the digits the device asks for (push's number matching)");
            Assert.That(challenge["challenge_type"]!.GetValue<string>(), Is.EqualTo("oob"));
            Assert.That(challenge[ChallengeEndpoint.DigitsField]!.GetValue<string>(), Does.Match(@"^\d\d$"));
            Assert.That(waiting.Body!.ToJsonString(), Is.EqualTo(PendingJson));
            Assert.That(approved, Does.Contain("Approved"));
            Assert.That(grantStatus, Is.EqualTo(HttpStatusCode.OK), tokens!.ToJsonString());
            Assert.That(Amr(tokens), Is.EquivalentTo(new[] { "pwd", "swk", "mfa" }));
            Assert.That(again.Status, Is.EqualTo(HttpStatusCode.Forbidden), "the approval and the mfa_token are used");
            Assert.That(again.Body!.ToJsonString(), Is.EqualTo("""{"error":"expired_token","error_description":"mfa_token is expired"}"""));
        });
    }

    [Test]
    public async Task PushTurnedDown_OrApprovedWithOtherDigits_IsMfaAuthorizationRejected_AndGivesNoTokens()
    {
        var (email, device, _) = await EnrolledUserAsync();
        var rejectedToken = await MfaTokenAsync(api, email);
        var (_, rejectedChallenge) = await api.ChallengeAsync(rejectedToken, "oob");
        await device.RunOkAsync("reject", await device.PendingIdAsync());
        var rejected = await api.GrantAsync(MfaGrantTypes.Oob, rejectedToken, ("oob_code", rejectedChallenge!["oob_code"]!.GetValue<string>()));

        var wrongDigitsToken = await MfaTokenAsync(api, email);
        var (_, wrongDigitsChallenge) = await api.ChallengeAsync(wrongDigitsToken, "oob");
        var digits = int.Parse(wrongDigitsChallenge![ChallengeEndpoint.DigitsField]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var wrongApproval = await device.RunAsync("approve", await device.PendingIdAsync(), "--digits", $"{(digits + 1) % 100:00}");
        var wrongDigits = await api.GrantAsync(MfaGrantTypes.Oob, wrongDigitsToken, ("oob_code", wrongDigitsChallenge["oob_code"]!.GetValue<string>()),
            ("binding_code", $"{digits:00}"));

        Assert.Multiple(() =>
        {
            Assert.That(rejected.Status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(rejected.Body!.ToJsonString(), Is.EqualTo(RejectedJson));
            Assert.That(wrongApproval.ExitCode, Is.Not.Zero, wrongApproval.Output);
            Assert.That(wrongDigits.Status, Is.EqualTo(HttpStatusCode.BadRequest), "a binding_code sent with a push's oob_code is not read");
            Assert.That(wrongDigits.Body!.ToJsonString(), Is.EqualTo(RejectedJson));
        });
    }

    [Test]
    public async Task AssociatePush_WithAnMfaTokenOfAUserWithAFactor_IsAlreadyEnrolled_AndRemovalNeedsTheRemoveScope()
    {
        var (email, _, recoveryCode) = await EnrolledUserAsync();
        var token = await MfaTokenAsync(api, email);
        var (_, list) = await api.AuthenticatorsAsync(token);
        var pushId = list!.AsArray().Single(item => item!["type"]!.GetValue<string>() == FactorType.PushNotification)!["id"]!.GetValue<string>();

        var enrollAgain = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "auth0" } });
        var removedWithMfaToken = await api.RemoveAsync(token, pushId);
        var managing = await MfaTokenAsync(api, email, scope: "openid remove:authenticators", audience: api.Audience);
        var (_, managed) = await api.GrantAsync(MfaGrantTypes.RecoveryCode, managing, ("recovery_code", recoveryCode));
        var accessToken = managed!["access_token"]!.GetValue<string>();
        var removed = await api.RemoveAsync(accessToken, pushId);
        var removedAgain = await api.RemoveAsync(accessToken, pushId);

        Assert.Multiple(() =>
        {
            Assert.That(enrollAgain.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(enrollAgain.Body!.ToJsonString(), Is.EqualTo("""{"error":"access_denied","error_description":"User is already enrolled"}"""));
            Assert.That(removedWithMfaToken.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(removed.Status, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(removedAgain.Status, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    /// <summary>A new user with a push device enrolled through the API, and the recovery code that enrollment showed.</summary>
    private async Task<(string Email, PushDevice Device, string RecoveryCode)> EnrolledUserAsync()
    {
        var email = await NewUserAsync();
        var token = await MfaTokenAsync(api, email);
        var (_, associated) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "auth0" } });
        var device = NewDevice();
        await device.RunOkAsync("enroll", associated!["barcode_uri"]!.GetValue<string>(), "--name", "Api phone");
        var (status, tokens) = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", associated["oob_code"]!.GetValue<string>()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), () => $"the push enrollment was not confirmed: {tokens}");
        return (email, device, associated["recovery_codes"]![0]!.GetValue<string>());
    }

    private PushDevice NewDevice() => new(Path.Combine(devices.Path, Guid.NewGuid().ToString("N"), "device.json"));

    private static IEnumerable<string> Amr(JsonNode tokens) =>
        JwtPayload(tokens["id_token"]!.GetValue<string>())["amr"]!.AsArray().Select(value => value!.GetValue<string>());

    private async Task<string> NewUserAsync()
    {
        var email = $"user{Interlocked.Increment(ref users)}@pushapi.example";
        await server.AddUserAsync(Tenant, email, Password);
        return email;
    }
}
