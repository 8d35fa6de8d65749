using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>The set-up the admin API's fixtures share: a real server with one tenant, and a machine client of that tenant's admin API.</summary>
internal static class AdminApiServer
{
    /// <summary>Waits for <paramref name="starting"/>, adds <paramref name="tenant"/> and signs in its machine client.</summary>
    public static async Task<(RulesMfaServer Server, AdminApiClient Api)> WithTenantAsync(Task<RulesMfaServer> starting, string tenant)
    {
        var server = await starting;
        await server.AddTenantAsync(tenant);
        return (server, await AdminApiClient.CreateAsync(server, tenant));
    }

    public static async Task StopAsync(RulesMfaServer server, AdminApiClient api)
    {
        api.Dispose();
        await server.DisposeAsync();
    }
}
