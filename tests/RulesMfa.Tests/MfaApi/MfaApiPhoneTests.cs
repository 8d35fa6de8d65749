using System.Net;
using System.Text.Json.Nodes;
using RulesMfa.Host.Factors.Phone;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.EndToEnd;
using static RulesMfa.Tests.MfaApi.MfaApiScenario;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// The phone in the MFA API, with the development outbox: <c>associate</c> with <c>oob_channels</c> <c>sms</c> and a
/// <c>phone_number</c>, <c>challenge</c> by text or voice (the authenticator id picks the channel), and the <c>mfa-oob</c>
/// grant with the code as the <c>binding_code</c>; Auth0's fields, and the pages' sending limits.
/// </summary>
[NonParallelizable]
public sealed class MfaApiPhoneTests
{
    private const string Tenant = "phoneapi";
    private RulesMfaServer server = null!;
    private MfaApiHttp api = null!;
    private int users;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, new TenantSettings
        {
            EnabledFactors = ["otp", "phone", "recovery-code"],
            Phone = new PhoneSettings { MessageTypes = [PhoneChannel.Sms, PhoneChannel.Voice] },
        }, displayName: "Phone Api");
        await server.SetRulesAsync(Tenant, ("010-mfa", Rules));
        var (id, secret) = await MfaApiHttp.AddPasswordClientAsync(server, Tenant, "phone-cli");
        api = new MfaApiHttp(server.Issuer(Tenant), id, secret);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task AssociateSms_WithAPhoneNumber_AnswersAuth0sFields_AndTheMfaOobGrantTakesTheTextedCode()
    {
        var (email, number) = await NewUserAsync();
        var (_, required) = await api.PasswordAsync(email, Password);
        var token = required!["mfa_token"]!.GetValue<string>();

        var (status, associated) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "sms" }, phone_number = number });
        var oobCode = associated!["oob_code"]!.GetValue<string>();
        var texted = PhoneOutbox.MessagesTo(server, number);
        var wrong = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode), ("binding_code", "000000"));
        var missing = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode));
        var (grantStatus, tokens) = await api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode), ("binding_code", PhoneOutbox.LatestCode(server, number)));

        Assert.Multiple(() =>
        {
            Assert.That(required["mfa_requirements"]!.ToJsonString(), Is.EqualTo("""{"enroll":[{"type":"otp"},{"type":"phone"}]}"""));
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), associated.ToJsonString());
            Assert.That(Fields(associated), Is.EqualTo(new[] { "authenticator_type", "binding_method", "oob_channel", "oob_code", "recovery_codes" }));
            Assert.That(associated["authenticator_type"]!.GetValue<string>(), Is.EqualTo("oob"));
            Assert.That(associated["binding_method"]!.GetValue<string>(), Is.EqualTo("prompt"));
            Assert.That(associated["oob_channel"]!.GetValue<string>(), Is.EqualTo("sms"));
            Assert.That(texted.Select(message => (message.Channel, message.Action)), Is.EqualTo(new[] { ("sms", "Enrollment") }));
            Assert.That(wrong.Status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(wrong.Body!.ToJsonString(), Is.EqualTo("""{"error":"invalid_grant","error_description":"Invalid binding_code."}"""));
            Assert.That(missing.Body!.ToJsonString(), Is.EqualTo("""{"error":"invalid_request","error_description":"Missing required parameter: binding_code"}"""));
            Assert.That(grantStatus, Is.EqualTo(HttpStatusCode.OK), tokens!.ToJsonString());
            Assert.That(Amr(tokens), Is.EquivalentTo(new[] { "pwd", "sms", "mfa" }));
        });
    }

    [Test]
    public async Task PhoneAuthenticators_AreListedPerChannel_AndTheVoiceIdIsChallengedByACall_OneCallAnHour()
    {
        var (email, number) = await EnrolledUserAsync();
        var token = await MfaTokenAsync(api, email);
        var (_, list) = await api.AuthenticatorsAsync(token);
        var phones = list!.AsArray().Where(item => item!["type"]!.GetValue<string>() == "phone").Select(item => item!).ToList();
        var voiceId = phones.Single(item => item["oob_channel"]!.GetValue<string>() == "voice")["id"]!.GetValue<string>();

        var (status, challenge) = await api.ChallengeAsync(token, "oob", authenticatorId: voiceId);
        var called = PhoneOutbox.MessagesTo(server, number)[^1];
        var (grantStatus, tokens) = await api.GrantAsync(MfaGrantTypes.Oob, token,
            ("oob_code", challenge!["oob_code"]!.GetValue<string>()), ("binding_code", PhoneOutbox.LatestCode(server, number)));
        var secondCall = await api.ChallengeAsync(await MfaTokenAsync(api, email), "oob", authenticatorId: voiceId);

        Assert.Multiple(() =>
        {
            Assert.That(phones.Select(item => item["id"]!.GetValue<string>()).ToList(), Has.Count.EqualTo(2).And.All.Match(@"^(sms|voice)\|dev_\d+$"));
            Assert.That(Fields(phones[0]), Is.EqualTo(new[] { "active", "authenticator_type", "id", "name", "oob_channel", "oob_channels", "type" }));
            Assert.That(phones[0]["name"]!.GetValue<string>(), Is.EqualTo("XXXXXXXX" + number[^2..]), "the number is masked");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), challenge.ToJsonString());
            Assert.That(Fields(challenge), Is.EqualTo(new[] { "binding_method", "challenge_type", "oob_code" }));
            Assert.That(challenge["binding_method"]!.GetValue<string>(), Is.EqualTo("prompt"));
            Assert.That((called.Channel, called.Action), Is.EqualTo(("voice", "SecondFactorAuthentication")));
            Assert.That(grantStatus, Is.EqualTo(HttpStatusCode.OK), tokens!.ToJsonString());
            Assert.That(Amr(tokens), Is.EquivalentTo(new[] { "pwd", "tel", "mfa" }));
            Assert.That(secondCall.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(secondCall.Body!["error"]!.GetValue<string>(), Is.EqualTo("too_many_attempts"));
            Assert.That(secondCall.Body["error_description"]!.GetValue<string>(), Does.StartWith("You can get only 1 call an hour."));
        });
    }

    [Test]
    public async Task AssociatePhone_WithABadNumber_IsInvalidRequestNamingIt_AndSendsNothing()
    {
        var (email, number) = await NewUserAsync();
        var token = await MfaTokenAsync(api, email);

        var (status, body) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "sms" }, phone_number = "12" });

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body!["error"]!.GetValue<string>(), Is.EqualTo("invalid_request"));
            Assert.That(body["error_description"]!.GetValue<string>(), Does.StartWith("phone_number: "));
            Assert.That(PhoneOutbox.MessagesTo(server, number), Is.Empty);
        });
    }

    [Test]
    public async Task AssociatePhone_ByThePasswordAloneOfAnEnrolledUser_IsUserIsAlreadyEnrolled_AndTextsNoOne()
    {
        const string AttackersNumber = "+16502539999";
        var (email, _) = await EnrolledUserAsync();
        var token = await MfaTokenAsync(api, email);

        var (status, body) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "sms" }, phone_number = AttackersNumber });

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(body!.ToJsonString(), Is.EqualTo("""{"error":"access_denied","error_description":"User is already enrolled"}"""));
            Assert.That(PhoneOutbox.MessagesTo(server, AttackersNumber), Is.Empty, "nothing sent to the attacker's number");
        });
    }

    private async Task<(string Email, string Number)> EnrolledUserAsync()
    {
        var (email, number) = await NewUserAsync();
        var token = await MfaTokenAsync(api, email);
        var (_, associated) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "sms" }, phone_number = number });
        var (status, tokens) = await api.GrantAsync(MfaGrantTypes.Oob, token,
            ("oob_code", associated!["oob_code"]!.GetValue<string>()), ("binding_code", PhoneOutbox.LatestCode(server, number)));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), () => $"the phone enrollment was not confirmed: {tokens}");
        return (email, number);
    }

    private static IEnumerable<string> Amr(JsonNode tokens) =>
        JwtPayload(tokens["id_token"]!.GetValue<string>())["amr"]!.AsArray().Select(value => value!.GetValue<string>());

    /// <summary>A new user and a number of their own (Mountain View, valid for libphonenumber).</summary>
    private async Task<(string Email, string Number)> NewUserAsync()
    {
        var n = Interlocked.Increment(ref users);
        var email = $"user{n}@phoneapi.example";
        await server.AddUserAsync(Tenant, email, Password);
        return (email, $"+1650253{n:0000}");
    }
}
