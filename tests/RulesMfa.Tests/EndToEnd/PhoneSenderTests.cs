using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Factors.Phone;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The Twilio and webhook senders, configured through the admin API, against in-test listeners standing in for Twilio's
/// API and a tenant's HTTPS gateway: what goes over the wire (shape, authentication, signature), a login completed with the
/// code that went there, and the failure paths (an error answer, a timeout, an internal address) with their audit events.
/// </summary>
[NonParallelizable]
public sealed class PhoneSenderTests
{
    private const string Password = "a long enough password";
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "twilio-auth-token-7f3a9c2e51";
    private const string WebhookSecret = "webhook-signing-secret-5b8d2e0f9a7c4e1d3b6a";
    private const string TwilioNumber = "+15005550006";
    private readonly TempFolder logFolder = new();
    private StandInListener twilio = null!;
    private StandInListener gateway = null!;
    private RulesMfaServer server = null!;
    private RelyingParty twilioApp = null!;
    private RelyingParty hookApp = null!;
    private int users;

    private string LogFile => Path.Combine(logFolder.Path, "rulesmfa.json");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        twilio = await StandInListener.StartAsync();
        gateway = await StandInListener.StartAsync(https: true);
        server = await RulesMfaServer.StartAsync(clock: null, services =>
        {
            twilio.Redirect(services, TwilioPhoneSender.HttpClientName);
            gateway.TrustCertificate(services, WebhookPhoneSender.HttpClientName);
        }, "--Phone:AllowPrivateNetworkWebhooks", "true", "--Phone:SendTimeoutSeconds", "1", "--Server:LogFile", LogFile);

        twilioApp = await TenantAsync("twilio", new JsonObject
        {
            ["messageTypes"] = new JsonArray("sms", "voice"),
            ["verificationMessage"] = "{{ tenant.friendly_name }}: your code is {{ code }}",
            ["sender"] = "twilio",
            ["twilio"] = new JsonObject { ["accountSid"] = AccountSid, ["authToken"] = AuthToken, ["from"] = TwilioNumber },
        });
        hookApp = await TenantAsync("hook", new JsonObject
        {
            ["sender"] = "webhook",
            ["webhook"] = new JsonObject { ["url"] = gateway.BaseUrl + "/send-phone-message", ["secret"] = WebhookSecret },
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await hookApp.DisposeAsync();
        await twilioApp.DisposeAsync();
        await server.DisposeAsync();
        await gateway.DisposeAsync();
        await twilio.DisposeAsync();
        logFolder.Dispose();
    }

    [SetUp]
    public void ForgetRequests()
    {
        twilio.Requests.Clear();
        gateway.Requests.Clear();
    }

    [Test]
    public async Task Twilio_TextMessage_IsAnAuthenticatedMessagesCall_AndItsCodeSignsIn()
    {
        var (email, number) = await UserWithPhoneAsync("twilio", "11");
        twilio.Answer(201, """{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}""");
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, twilioApp, email, Password);
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");
        var request = twilio.Requests.Single();
        var form = HttpUtility.ParseQueryString(request.Body);
        var code = form["Body"]!["twilio: your code is ".Length..];
        var signedIn = await LoginFlow.SubmitCodeAsync(browser, codeForm, code);

        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.PathAndQuery, Is.EqualTo($"/2010-04-01/Accounts/{AccountSid}/Messages.json"));
            Assert.That(request.Headers["Authorization"], Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"))));
            Assert.That(request.ContentType, Does.StartWith("application/x-www-form-urlencoded"));
            Assert.That(form["To"], Is.EqualTo(number));
            Assert.That(form["From"], Is.EqualTo(TwilioNumber));
            Assert.That(form["Body"], Does.Match(@"^twilio: your code is \d{6}$"), "the tenant's own template");
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(twilioApp.BaseUrl + "/"));
            Assert.That(File.ReadAllText(LogFile), Does.Not.Contain(AuthToken).And.Not.Contain(number[2..]).And.Not.Contain(code),
                "no secret, whole number or code in the log");
        });
    }

    [Test]
    public async Task Twilio_TextMessage_FromAMessagingService_NamesTheServiceInsteadOfANumber()
    {
        const string MessagingService = "MG0123456789abcdef0123456789abcdef";
        await using var serviceApp = await TenantAsync("twiliomg", new JsonObject
        {
            ["sender"] = "twilio",
            ["twilio"] = new JsonObject { ["accountSid"] = AccountSid, ["authToken"] = AuthToken, ["messagingServiceSid"] = MessagingService },
        });
        var (email, number) = await UserWithPhoneAsync("twiliomg", "14");
        twilio.Answer(201, """{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"}""");
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, serviceApp, email, Password);
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string>(), formWithField: "Channel");
        var form = HttpUtility.ParseQueryString(twilio.Requests.Single().Body);
        var signedIn = await LoginFlow.SubmitCodeAsync(browser, codeForm, PhoneOutbox.CodeIn(form["Body"]!));

        Assert.Multiple(() =>
        {
            Assert.That(form["MessagingServiceSid"], Is.EqualTo(MessagingService));
            Assert.That(form["From"], Is.Null, "the service picks the number");
            Assert.That(form["To"], Is.EqualTo(number));
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(serviceApp.BaseUrl + "/"));
        });
    }

    [Test]
    public async Task Twilio_VoiceCall_SaysTheCodeDigitByDigitInTwiml()
    {
        var (email, number) = await UserWithPhoneAsync("twilio", "12");
        twilio.Answer(201, """{"sid": "CA0123456789abcdef0123456789abcdef", "status": "queued"}""");
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, twilioApp, email, Password);
        await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "voice" }, formWithField: "Channel");
        var request = twilio.Requests.Single();
        var form = HttpUtility.ParseQueryString(request.Body);

        Assert.Multiple(() =>
        {
            Assert.That(request.PathAndQuery, Is.EqualTo($"/2010-04-01/Accounts/{AccountSid}/Calls.json"));
            Assert.That(form["To"], Is.EqualTo(number));
            Assert.That(form["From"], Is.EqualTo(TwilioNumber));
            Assert.That(form["Twiml"], Does.Match(@"<Response>\s*<Say>twilio: your code is \d, \d, \d, \d, \d, \d</Say>\s*</Response>"));
        });
    }

    [Test]
    public async Task Twilio_ErrorAnswer_ShowsCouldNotSend_AndIsAudited()
    {
        var (email, _) = await UserWithPhoneAsync("twilio", "13");
        twilio.Answer(401, """{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}""");
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, twilioApp, email, Password);
        var failed = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");

        Assert.Multiple(() =>
        {
            Assert.That(failed.Text("mfa-error"), Is.EqualTo("We could not send a code to XXXXXXXX13 just now. Try again in a few minutes, or use another method."));
            Assert.That(AuditLines("mfa.phone-sender-error"), Has.Some.Contains("Twilio answered HTTP 401 (error 20003)").And.Some.Contains("XXXXXXXX13"));
        });
    }

    [Test]
    public async Task Webhook_Enrollment_PostsAuth0sShapeSignedOverTimestampAndBody_AndItsCodeConfirms()
    {
        var email = await NewUserAsync("hook");
        using var browser = new FormBrowser();

        var enrollment = await LoginFlow.SignInAsync(browser, hookApp, email, Password);
        var sent = await browser.SubmitAsync(enrollment, new Dictionary<string, string> { ["Number"] = "+44 20 7031 3021" }, formWithField: "Number");
        var request = gateway.Requests.Single();
        var body = JsonNode.Parse(request.Body)!;
        var options = body["message_options"]!;
        var saved = await LoginFlow.SubmitCodeAsync(browser, sent, options["code"]!.GetValue<string>());
        var timestamp = request.Headers["X-RulesMfa-Timestamp"];
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), Encoding.UTF8.GetBytes($"{timestamp}.{request.Body}")));

        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.PathAndQuery, Is.EqualTo("/send-phone-message"));
            Assert.That(request.ContentType, Does.StartWith("application/json"));
            Assert.That(request.Headers["X-RulesMfa-Signature"], Is.EqualTo(expected), "HMAC-SHA256 of timestamp.body with the tenant's secret");
            Assert.That(long.Parse(timestamp!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(300));
            Assert.That(options["action"]!.GetValue<string>(), Is.EqualTo("enrollment"));
            Assert.That(options["message_type"]!.GetValue<string>(), Is.EqualTo("sms"));
            Assert.That(options["recipient"]!.GetValue<string>(), Is.EqualTo("+442070313021"));
            Assert.That(options["code"]!.GetValue<string>(), Does.Match(@"^\d{6}$"));
            Assert.That(options["text"]!.GetValue<string>(), Is.EqualTo($"{options["code"]} is your verification code for hook. Please enter this code to verify your enrollment."));
            Assert.That(body["tenant"]!["id"]!.GetValue<string>(), Is.EqualTo("hook"));
            Assert.That(saved.Text("recovery-code"), Is.Not.Null, "the number is confirmed: the first enrollment's recovery code is shown");
            Assert.That(File.ReadAllText(LogFile), Does.Not.Contain(WebhookSecret).And.Not.Contain("2070313021"), "no secret or whole number in the log");
        });
    }

    [Test]
    public async Task Webhook_ServerErrorTwice_IsRetriedOnce_ThenCouldNotSend_AndAudited()
    {
        var (email, _) = await UserWithPhoneAsync("hook", "22");
        gateway.Answer(500);
        gateway.Answer(503);
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, hookApp, email, Password);
        var failed = await browser.SubmitAsync(challenge, new Dictionary<string, string>(), formWithField: "Channel");

        Assert.Multiple(() =>
        {
            Assert.That(gateway.Requests, Has.Count.EqualTo(2), "one try and one retry");
            Assert.That(failed.Text("mfa-error"), Does.StartWith("We could not send a code to XXXXXXXX22 just now"));
            Assert.That(AuditLines("mfa.phone-sender-error"), Has.Some.Contains("HTTP 503").And.Some.Contains("\"Sender\":\"webhook\""));
        });
    }

    [Test]
    public async Task Webhook_ClientErrorAnswer_IsNotRetried_ThenCouldNotSend_AndAudited()
    {
        var (email, _) = await UserWithPhoneAsync("hook", "25");
        gateway.Answer(400);
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, hookApp, email, Password);
        var failed = await browser.SubmitAsync(challenge, new Dictionary<string, string>(), formWithField: "Channel");

        Assert.Multiple(() =>
        {
            Assert.That(gateway.Requests, Has.Count.EqualTo(1), "a 4xx is the gateway's answer, not a passing fault: no retry");
            Assert.That(failed.Text("mfa-error"), Is.EqualTo("We could not send a code to XXXXXXXX25 just now. Try again in a few minutes, or use another method."));
            Assert.That(AuditLines("mfa.phone-sender-error"), Has.Some.Contains("XXXXXXXX25").And.Contains("HTTP 400"));
        });
    }

    [Test]
    public async Task Webhook_ThatDoesNotAnswerInTime_TimesOut_ThenCouldNotSend()
    {
        var (email, _) = await UserWithPhoneAsync("hook", "23");
        gateway.Answer(200, delay: TimeSpan.FromSeconds(30));
        gateway.Answer(200, delay: TimeSpan.FromSeconds(30));
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, hookApp, email, Password);
        var failed = await browser.SubmitAsync(challenge, new Dictionary<string, string>(), formWithField: "Channel");

        Assert.Multiple(() =>
        {
            Assert.That(failed.Text("mfa-error"), Does.StartWith("We could not send a code to XXXXXXXX23 just now"));
            Assert.That(AuditLines("mfa.phone-sender-error"), Has.Some.Contains("XXXXXXXX23").And.Contains("timed out"));
        });
    }

    [Test]
    public async Task Webhook_OnAnInternalAddress_IsRefusedBeforeConnecting_ByDefault()
    {
        using var otherLogs = new TempFolder();
        var log = Path.Combine(otherLogs.Path, "rulesmfa.json");
        await using var defaults = await RulesMfaServer.StartAsync(clock: null, services => gateway.TrustCertificate(services, WebhookPhoneSender.HttpClientName),
            "--Server:LogFile", log);
        await defaults.AddTenantAsync("inside");
        using (var api = await AdminApiClient.CreateAsync(defaults, "inside"))
        {
            await PutPhoneSettingsAsync(api, new JsonObject
            {
                ["sender"] = "webhook",
                ["webhook"] = new JsonObject { ["url"] = gateway.BaseUrl + "/send-phone-message", ["secret"] = WebhookSecret },
            });
        }

        await using var app = await RelyingParty.StartAsync(defaults, "inside", "inside-web");
        await defaults.SetRulesAsync("inside", ("010-mfa", "function (user, context, callback) { context.multifactor = { provider: 'any' }; callback(null, user, context); }"));
        await defaults.AddUserAsync("inside", "someone@inside.example", Password);
        using var browser = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(browser, app, "someone@inside.example", Password);
        var failed = await browser.SubmitAsync(enrollment, new Dictionary<string, string> { ["Number"] = "+16502530024" }, formWithField: "Number");

        Assert.Multiple(() =>
        {
            Assert.That(gateway.Requests, Is.Empty, "nothing reached the internal address");
            Assert.That(failed.Text("mfa-error"), Does.StartWith("We could not send a code to XXXXXXXX24 just now"));
            Assert.That(File.ReadAllText(log), Does.Contain("refused: 127.0.0.1 is not a public address"));
        });
    }

    private async Task<RelyingParty> TenantAsync(string tenant, JsonObject phone)
    {
        await server.AddTenantAsync(tenant);
        using (var api = await AdminApiClient.CreateAsync(server, tenant))
        {
            await PutPhoneSettingsAsync(api, phone);
        }

        await server.SetRulesAsync(tenant, ("010-mfa", "function (user, context, callback) { context.multifactor = { provider: 'any' }; callback(null, user, context); }"));
        return await RelyingParty.StartAsync(server, tenant, $"{tenant}-web");
    }

    private static async Task PutPhoneSettingsAsync(AdminApiClient api, JsonObject phone)
    {
        var settings = (await api.GetAsync("/settings")).Json;
        settings["enabledFactors"] = new JsonArray("phone", "recovery-code");
        settings["phone"] = phone;
        var saved = await api.PutAsync("/settings", settings);
        Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
    }

    private IReadOnlyList<string> AuditLines(string auditEvent) =>
        File.ReadAllLines(LogFile).Where(line => line.Contains($"\"AuditEvent\":\"{auditEvent}\"", StringComparison.Ordinal)).ToList();

    private async Task<string> NewUserAsync(string tenant)
    {
        var email = $"user{Interlocked.Increment(ref users)}@{tenant}.example";
        await server.AddUserAsync(tenant, email, Password);
        return email;
    }

    private async Task<(string Email, string Number)> UserWithPhoneAsync(string tenant, string lastTwo)
    {
        var email = await NewUserAsync(tenant);
        var number = $"+165025300{lastTwo}";
        var user = await server.GetUserAsync(tenant, email);
        await server.WithServicesAsync(async services =>
        {
            var database = services.GetRequiredService<RulesMfaDbContext>();
            database.Add(new PhoneNumberRecord { UserId = user.Id, Number = number, Confirmed = true, CreatedAt = DateTimeOffset.UtcNow });
            return await database.SaveChangesAsync();
        });
        return (email, number);
    }
}
