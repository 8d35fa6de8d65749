using System.Text.Json.Nodes;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Factors;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// What the console's settings and configuration views rest on: the caps the server allows each setting, the same caps
/// enforced when the settings are saved, and configuration listed with when each value was set, never a secret's value.
/// </summary>
[NonParallelizable]
public sealed class SettingsAndConfigurationApiTests
{
    private const string Tenant = "caps";
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider clock = new(Noon);
    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        (server, api) = await AdminApiServer.WithTenantAsync(RulesMfaServer.StartAsync(clock, "--Sandbox:Maximums:RuleTimeout", "00:00:02", "--Sandbox:Maximums:MaxStatements", "5000000",
            "--Sandbox:Maximums:AllowStringCompilation", "false"), Tenant);
    }

    [OneTimeTearDown]
    public Task StopAsync() => AdminApiServer.StopAsync(server, api);

    [Test]
    public async Task Caps_EachLimitsMostIsTheLesserOfItsRangeAndTheServersMaximum()
    {
        var caps = await api.GetAsync("/settings/caps");

        var limits = caps.Json["limits"]!;
        Assert.Multiple(() =>
        {
            Assert.That(caps.Status, Is.EqualTo(200), caps.Text);
            Assert.That(limits["ruleTimeout"]!.ToJsonString(), Is.EqualTo("""{"min":"00:00:00.0010000","max":"00:00:02"}"""), "the server's maximum, below the range's 30 s");
            Assert.That(limits["maxStatements"]!.ToJsonString(), Is.EqualTo("""{"min":1000,"max":5000000}"""));
            Assert.That(limits["maxRecursionDepth"]!["max"]!.GetValue<int>(), Is.EqualTo(1_000), "the default maximum");
            Assert.That(limits["allowStringCompilation"]!.ToJsonString(), Is.EqualTo("""{"max":false}"""));
            Assert.That(caps.Json["rememberBrowserDays"]!.ToJsonString(), Is.EqualTo("""{"min":1,"max":365}"""));
            Assert.That(caps.Json["enabledFactors"]!.AsArray().Select(factor => factor!["type"]!.GetValue<string>()), Does.Contain("otp").And.Contain("recovery-code"));
        });
    }

    [TestCase("ruleTimeout", "00:00:03", "must be at most 00:00:02, this server's maximum")]
    [TestCase("maxStatements", 5_000_001, "must be at most 5000000, this server's maximum")]
    [TestCase("allowStringCompilation", true, "this server does not allow it (its maximum is false)")]
    public async Task PutSettings_OneOverItsCap_Is400NamingTheFieldAndTheCap_AndNothingIsSaved(string limit, object value, string message)
    {
        var settings = (await api.GetAsync("/settings")).Json.AsObject();
        settings["alwaysRequireMfa"] = true;
        settings["limits"]![limit] = JsonValue.Create(value);

        var refused = await api.SendRawAsync(HttpMethod.Put, "/settings", settings.ToJsonString());
        var stored = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo($"limits.{limit}"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Is.EqualTo(message));
            Assert.That(stored.Json["alwaysRequireMfa"]!.GetValue<bool>(), Is.False, "nothing half-saved");
        });
    }

    /// <summary>
    /// A JSON <c>null</c> for one of the settings' objects, lists or texts was taken as given, and validating or saving
    /// the settings then threw: a 500 (the error page) that named nothing. Each is a 400 naming the field.
    /// </summary>
    [TestCase("limits")]
    [TestCase("enabledFactors")]
    [TestCase("webAuthn")]
    [TestCase("phone")]
    [TestCase("duo")]
    [TestCase("phone.twilio")]
    [TestCase("phone.webhook")]
    [TestCase("phone.messageTypes")]
    [TestCase("phone.enrollmentMessage")]
    public async Task PutSettings_WithNullForAnObjectListOrText_Is400NamingTheField_AndNothingIsSaved(string field)
    {
        var settings = (await api.GetAsync("/settings")).Json.AsObject();
        settings["alwaysRequireMfa"] = true;
        var path = field.Split('.');
        var parent = path.Length == 1 ? settings : settings[path[0]]!.AsObject();
        parent[path[^1]] = null;

        var refused = await api.SendRawAsync(HttpMethod.Put, "/settings", settings.ToJsonString());
        var stored = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.StartWith("must not be null"), refused.Text);
            Assert.That(stored.Json["alwaysRequireMfa"]!.GetValue<bool>(), Is.False, "nothing half-saved");
        });
    }

    /// <summary>
    /// A null among the enabled factors reached the factor registry's dictionary (a 500, the error page); a number for
    /// <c>webAuthn.userVerification</c> that names no value was saved and read as <c>discouraged</c>, the weakest.
    /// </summary>
    [TestCase("enabledFactors", """[null]""", "enabledFactors", "name one or more of")]
    [TestCase("enabledFactors", """["otp", null]""", "enabledFactors", "name one or more of")]
    [TestCase("webAuthn", """{"userVerification": 99}""", "webAuthn.userVerification", "must be discouraged, preferred or required")]
    public async Task PutSettings_WithAValueOfNoMeaning_Is400NamingTheField_AndNothingIsSaved(string property, string json, string field, string message)
    {
        var settings = (await api.GetAsync("/settings")).Json.AsObject();
        settings["alwaysRequireMfa"] = true;
        settings[property] = JsonNode.Parse(json);

        var refused = await api.SendRawAsync(HttpMethod.Put, "/settings", settings.ToJsonString());
        var stored = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.StartWith(message), refused.Text);
            Assert.That(stored.Json["alwaysRequireMfa"]!.GetValue<bool>(), Is.False, "nothing half-saved");
        });
    }

    [Test]
    public async Task Configuration_ListsWhenEachValueWasSet_AndNeverASecretsValue()
    {
        await api.PutAsync("/configuration/REGION", new { value = "eu", secret = false });
        clock.Now = Noon.AddMinutes(5);
        await api.PutAsync("/configuration/API_KEY", new { value = "s3cr3t-value-for-caps", secret = true });

        var listed = await api.GetAsync("/configuration");

        var entries = listed.Json.AsArray().ToDictionary(entry => entry!["name"]!.GetValue<string>(), entry => entry!);
        Assert.Multiple(() =>
        {
            Assert.That(listed.Text, Does.Not.Contain("s3cr3t-value-for-caps"));
            Assert.That(entries["API_KEY"]["value"], Is.Null);
            Assert.That(entries["API_KEY"]["secret"]!.GetValue<bool>(), Is.True);
            Assert.That(entries["API_KEY"]["setAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(Noon.AddMinutes(5)));
            Assert.That(entries["REGION"]["value"]!.GetValue<string>(), Is.EqualTo("eu"));
            Assert.That(entries["REGION"]["setAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(Noon));
        });
    }
}
