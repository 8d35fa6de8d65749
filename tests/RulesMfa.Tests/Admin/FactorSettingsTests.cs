using System.Text.Json.Nodes;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// <c>PUT /settings</c> says what the server serves: a factor no registered factor serves, or a field the settings do not
/// have, is a 400 naming it, and nothing is saved.
/// </summary>
[NonParallelizable]
public sealed class FactorSettingsTests
{
    private const string Tenant = "settings";

    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => (server, api) = await AdminApiServer.WithTenantAsync(RulesMfaServer.StartAsync(), Tenant);

    [OneTimeTearDown]
    public Task StopAsync() => AdminApiServer.StopAsync(server, api);

    [Test]
    public async Task Put_FactorNoRegisteredFactorServes_Is400NamingIt_AndNothingIsSaved()
    {
        var settings = await SettingsWithAsync(json => json["enabledFactors"] = new JsonArray("otp", "sms"));

        var refused = await api.PutAsync("/settings", settings);
        var after = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("enabledFactors"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.StartWith("'sms' is not a factor this server serves"));
            Assert.That(after.Json["enabledFactors"]!.AsArray().Select(type => type!.GetValue<string>()), Does.Not.Contain("sms"));
        });
    }

    [Test]
    public async Task Put_DeviceBiometricsAsTheOnlyFactor_Is400()
    {
        var settings = await SettingsWithAsync(json => json["enabledFactors"] = new JsonArray("webauthn-platform", "recovery-code"));

        var refused = await api.PutAsync("/settings", settings);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("enabledFactors"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.Contain("webauthn-platform is added only after another factor"));
        });
    }

    [TestCase("displayName", "displayName")]
    [TestCase("webAuthn.attestation", "webAuthn.attestation")]
    [TestCase("limits.maxLoops", "limits.maxLoops")]
    public async Task Put_UnknownField_Is400NamingIt(string path, string field)
    {
        var settings = await SettingsWithAsync(json =>
        {
            var parts = path.Split('.');
            var target = parts.Length == 1 ? json : json[parts[0]]!.AsObject();
            target[parts[^1]] = "Acme";
        });

        var refused = await api.PutAsync("/settings", settings);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.StartWith("is not a field here"));
        });
    }

    [Test]
    public async Task Put_WebAuthnUserVerification_IsSavedAndAnUnknownValueIsRefused()
    {
        var required = await SettingsWithAsync(json =>
        {
            json["enabledFactors"] = new JsonArray("otp", "webauthn-roaming", "recovery-code");
            json["webAuthn"] = new JsonObject { ["userVerification"] = "required" };
        });
        var sometimes = required.DeepClone().AsObject();
        sometimes["webAuthn"]!["userVerification"] = "sometimes";

        var saved = await api.PutAsync("/settings", required);
        var refused = await api.PutAsync("/settings", sometimes);
        var after = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("webAuthn.userVerification"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.StartWith("is not one of: discouraged, preferred, required (line 1, byte "));
            Assert.That(after.Json["webAuthn"]!["userVerification"]!.GetValue<string>(), Is.EqualTo("required"));
        });
    }

    [Test]
    public async Task Put_PhoneChannelOutsideItsSet_Is400NamingTheElementAndTheAllowedValues()
    {
        var settings = await SettingsWithAsync(json => json["phone"]!["messageTypes"] = new JsonArray("sms", "fax"));

        var refused = await api.PutAsync("/settings", settings);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("phone.messageTypes[1]"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.Match(@"^is not one of: sms, voice \(line 1, byte \d+\)$"));
            Assert.That(refused.Json["detail"]!.GetValue<string>(), Does.Contain("phone.messageTypes[1]"));
        });
    }

    private async Task<JsonObject> SettingsWithAsync(Action<JsonObject> change)
    {
        var settings = (await api.GetAsync("/settings")).Json.DeepClone().AsObject();
        change(settings);
        return settings;
    }
}
