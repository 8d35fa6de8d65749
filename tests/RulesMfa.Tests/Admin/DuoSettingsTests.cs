using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Factors.Duo;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The Duo settings through <c>PUT /settings</c>: Duo only as the only enabled factor, "remember this browser" fixed at 30
/// days, its keys required and checked, and the secret key write-only (stored encrypted, never read back, kept when not
/// given again). Nothing is saved with a refusal.
/// </summary>
[NonParallelizable]
public sealed class DuoSettingsTests
{
    private const string IntegrationKey = "DIWJ8X6AEYOR5OMC6TQ1";
    private const string SecretKey = "Zh5NhsDeGDpcsKvRQhVjVHIbP5zfPDmqDHLBNcQu";

    private RulesMfaServer server = null!;
    private int tenants;

    [OneTimeSetUp]
    public async Task StartAsync() => server = await RulesMfaServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await server.DisposeAsync();

    [Test]
    public async Task Put_SecretKey_IsStoredEncrypted_NeverReadBack_AndKeptWhenNotGivenAgain()
    {
        var (tenant, api) = await NewTenantAsync();

        var saved = await api.PutAsync("/settings", DuoSettings(secretKey: SecretKey));
        var read = await api.GetAsync("/settings");
        var again = await api.PutAsync("/settings", read.Json);
        var (stored, settingsJson, audit) = await server.WithServicesAsync(async services =>
        {
            var database = services.GetRequiredService<RulesMfaDbContext>();
            return ((await database.Set<DuoSecretRecord>().SingleAsync(secret => secret.TenantId == tenant)).Protected,
                (await database.Tenants.SingleAsync(record => record.Id == tenant)).SettingsJson,
                await database.Audit.Where(record => record.TenantId == tenant && record.Action == "settings.secret-set").Select(record => record.Target).ToListAsync());
        });
        var kept = await server.WithServicesAsync(services => services.GetRequiredService<DuoSecrets>().ReadAsync(tenant, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
            Assert.That(saved.Text, Does.Not.Contain(SecretKey), "the answer does not echo it");
            Assert.That(read.Text, Does.Not.Contain(SecretKey).And.Not.Contain("secretKey"));
            Assert.That(read.Json["duo"]!["integrationKey"]!.GetValue<string>(), Is.EqualTo(IntegrationKey));
            Assert.That(again.Status, Is.EqualTo(200), "a change without the secret key keeps the stored one");
            Assert.That(settingsJson, Does.Not.Contain(SecretKey));
            Assert.That(stored, Does.Not.Contain(SecretKey), "encrypted at rest");
            Assert.That(kept, Is.EqualTo(SecretKey));
            Assert.That(audit, Is.EqualTo(new[] { "duo.secretKey" }), "setting it is audited once, by name");
        });
    }

    [TestCase(new[] { "duo", "otp" }, 30, "enabledFactors", "duo is offered only as the only enabled factor",
        TestName = "Put_DuoWithAnotherFactor_Is400SayingDuoMustBeAlone")]
    [TestCase(new[] { "duo" }, 7, "rememberBrowserDays", "is fixed at 30 days while duo is enabled",
        TestName = "Put_DuoWithRememberBrowserOtherThan30Days_Is400")]
    public async Task Put_DuoSettingsAuth0DoesNotAllow_Is400(string[] enabledFactors, int rememberBrowserDays, string field, string message)
    {
        var (_, api) = await NewTenantAsync();

        var refused = await api.PutAsync("/settings", DuoSettings(secretKey: SecretKey, enabledFactors: enabledFactors, rememberBrowserDays: rememberBrowserDays));
        var after = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.StartWith(message));
            Assert.That(after.Json["enabledFactors"]!.ToJsonString(), Does.Not.Contain("duo"), "nothing was saved");
        });
    }

    [TestCase(null, IntegrationKey, "api-test.duosecurity.com", "duo.secretKey", TestName = "Put_DuoWithoutSecretKey_Is400")]
    [TestCase("too short", IntegrationKey, "api-test.duosecurity.com", "duo.secretKey", TestName = "Put_DuoWithMalformedSecretKey_Is400")]
    [TestCase(SecretKey, "not-an-ikey", "api-test.duosecurity.com", "duo.integrationKey", TestName = "Put_DuoWithMalformedIntegrationKey_Is400")]
    [TestCase(SecretKey, IntegrationKey, "https://api-test.duosecurity.com/path", "duo.apiHostname", TestName = "Put_DuoWithUrlForHostname_Is400")]
    [TestCase(SecretKey, IntegrationKey, null, "duo.apiHostname", TestName = "Put_DuoWithoutHostname_Is400")]
    public async Task Put_DuoWithoutWhatItNeeds_Is400NamingTheField(string? secretKey, string integrationKey, string? apiHostname, string field)
    {
        var (tenant, api) = await NewTenantAsync();

        var refused = await api.PutAsync("/settings", DuoSettings(secretKey, integrationKey: integrationKey, apiHostname: apiHostname));
        var stored = await server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().Set<DuoSecretRecord>().CountAsync(secret => secret.TenantId == tenant));

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field));
            Assert.That(stored, Is.Zero, "no secret is stored with a refused change");
        });
    }

    private static object DuoSettings(string? secretKey, string[]? enabledFactors = null, int rememberBrowserDays = 30,
        string integrationKey = IntegrationKey, string? apiHostname = "api-test.duosecurity.com") => new
        {
            enabledFactors = enabledFactors ?? ["duo"],
            rememberBrowserDays,
            duo = new { integrationKey, secretKey, apiHostname },
        };

    private async Task<(string Tenant, AdminApiClient Api)> NewTenantAsync()
    {
        var tenant = $"duosettings{++tenants}";
        await server.AddTenantAsync(tenant);
        return (tenant, await AdminApiClient.CreateAsync(server, tenant));
    }
}
