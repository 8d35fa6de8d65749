using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Factors.Phone;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The phone factor's settings through <c>PUT /settings</c>: Auth0's default templates, a template that does not parse is a
/// 400 naming its line, a sender's secret is write-only (stored encrypted, never read back, kept when not given again),
/// and a sender without what it needs is refused. Nothing is saved with a refusal.
/// </summary>
[NonParallelizable]
public sealed class PhoneSettingsTests
{
    private const string Tenant = "phonesettings";
    private const string AuthToken = "twilio-auth-token-c0ffee1234";

    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => (server, api) = await AdminApiServer.WithTenantAsync(RulesMfaServer.StartAsync(), Tenant);

    [OneTimeTearDown]
    public Task StopAsync() => AdminApiServer.StopAsync(server, api);

    [Test]
    public async Task Get_Defaults_AreAuth0sTemplatesTextMessagesAndTheOutbox()
    {
        var phone = (await api.GetAsync("/settings")).Json["phone"]!;

        Assert.Multiple(() =>
        {
            Assert.That(phone["enrollmentMessage"]!.GetValue<string>(),
                Is.EqualTo("{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment."));
            Assert.That(phone["verificationMessage"]!.GetValue<string>(), Is.EqualTo("{{code}} is your verification code for {{tenant.friendly_name}}"));
            Assert.That(phone["messageTypes"]!.ToJsonString(), Is.EqualTo("""["sms"]"""));
            Assert.That(phone["sender"]!.GetValue<string>(), Is.EqualTo("outbox"));
        });
    }

    [Test]
    public async Task Put_TemplateThatDoesNotParse_Is400WithItsLine_AndNothingIsSaved()
    {
        var settings = await SettingsWithAsync(phone => phone["verificationMessage"] = "Your code:\n{{ code | }}");

        var refused = await api.PutAsync("/settings", settings);
        var after = await api.GetAsync("/settings");
        Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
        var error = refused.Json["errors"]![0]!;

        Assert.Multiple(() =>
        {
            Assert.That(error["field"]!.GetValue<string>(), Is.EqualTo("phone.verificationMessage"));
            Assert.That(error["line"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(error["column"]!.GetValue<int>(), Is.EqualTo(10), "where Fluid stopped, not the line's start");
            Assert.That(error["message"]!.GetValue<string>(), Does.StartWith("is not valid Liquid:"));
            Assert.That(refused.Json["detail"]!.GetValue<string>(), Does.StartWith("phone.verificationMessage (2:10): is not valid Liquid"));
            Assert.That(after.Json["phone"]!["verificationMessage"]!.GetValue<string>(), Is.EqualTo(PhoneTemplates.DefaultVerificationMessage));
        });
    }

    [Test]
    public async Task Put_TwilioAuthToken_IsStoredEncrypted_NeverReadBack_AndKeptWhenNotGivenAgain()
    {
        var settings = await SettingsWithAsync(phone =>
        {
            phone["sender"] = "twilio";
            phone["twilio"] = new JsonObject { ["accountSid"] = "AC0123456789abcdef0123456789abcdef", ["authToken"] = AuthToken, ["from"] = "+15005550006" };
        });

        var saved = await api.PutAsync("/settings", settings);
        var read = await api.GetAsync("/settings");
        var again = await api.PutAsync("/settings", read.Json);
        var (stored, settingsJson, audit) = await server.WithServicesAsync(async services =>
        {
            var database = services.GetRequiredService<RulesMfaDbContext>();
            return ((await database.Set<PhoneSenderSecretRecord>().SingleAsync(secret => secret.TenantId == Tenant)).Protected,
                (await database.Tenants.SingleAsync(tenant => tenant.Id == Tenant)).SettingsJson,
                await database.Audit.Where(record => record.TenantId == Tenant && record.Action == "settings.secret-set").Select(record => record.Target).ToListAsync());
        });
        var kept = await server.WithServicesAsync(services => services.GetRequiredService<PhoneSenderSecrets>().ReadAsync(Tenant, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
            Assert.That(saved.Text, Does.Not.Contain(AuthToken), "the answer does not echo it");
            Assert.That(read.Text, Does.Not.Contain(AuthToken).And.Not.Contain("authToken"));
            Assert.That(again.Status, Is.EqualTo(200), "a change without the token keeps the stored one");
            Assert.That(settingsJson, Does.Not.Contain(AuthToken));
            Assert.That(stored, Does.Not.Contain(AuthToken), "encrypted at rest");
            Assert.That(kept.TwilioAuthToken, Is.EqualTo(AuthToken));
            Assert.That(audit, Is.EqualTo(new[] { "phone.twilio.authToken" }), "setting it is audited once, by name");
        });
    }

    [TestCase("twilio", null, "phone.twilio.accountSid")]
    [TestCase("webhook", """{"url": "http://gateway.example/sms", "secret": "0123456789abcdef0123456789abcdef"}""", "phone.webhook.url")]
    [TestCase("webhook", """{"url": "https://gateway.example/sms", "secret": "too short"}""", "phone.webhook.secret")]
    [TestCase("webhook", """{"url": "https://gateway.example/sms"}""", "phone.webhook.secret")]
    public async Task Put_SenderWithoutWhatItNeeds_Is400NamingTheField(string sender, string? webhook, string field)
    {
        var settings = await SettingsWithAsync(phone =>
        {
            phone["sender"] = sender;
            if (webhook is not null)
            {
                phone["webhook"] = JsonNode.Parse(webhook);
            }
        });

        var refused = await api.PutAsync("/settings", settings);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field));
        });
    }

    [TestCase("messageTypes", """["sms", "fax"]""", "phone.messageTypes")]
    [TestCase("defaultRegion", "\"Narnia\"", "phone.defaultRegion")]
    public async Task Put_UnknownChannelOrRegion_Is400(string name, string value, string field)
    {
        var settings = await SettingsWithAsync(phone => phone[name] = JsonNode.Parse(value));

        var refused = await api.PutAsync("/settings", settings);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Does.StartWith(field));
        });
    }

    private async Task<JsonObject> SettingsWithAsync(Action<JsonObject> change)
    {
        var settings = (await api.GetAsync("/settings")).Json.DeepClone().AsObject();
        settings["enabledFactors"] = new JsonArray("phone", "recovery-code");
        var phone = new JsonObject();
        settings["phone"] = phone;
        change(phone);
        return settings;
    }
}
