using RulesMfa.Tests.Admin;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>The Duo tests' tenants.</summary>
internal static class DuoTenant
{
    /// <summary>A tenant whose only factor is Duo, set through the admin API as an admin would.</summary>
    public static async Task AddDuoTenantAsync(this RulesMfaServer server, string tenant, string apiHost, string clientId, string secret)
    {
        await server.AddTenantAsync(tenant);
        using var api = await AdminApiClient.CreateAsync(server, tenant);
        var saved = await api.PutAsync("/settings", new
        {
            enabledFactors = new[] { "duo" },
            duo = new { integrationKey = clientId, secretKey = secret, apiHostname = apiHost },
        });
        Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
    }
}
