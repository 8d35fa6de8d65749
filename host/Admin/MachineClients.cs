using System.Text.Json;
using OpenIddict.Abstractions;
using RulesMfa.Host.Oidc;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.Admin;

/// <summary>Machine clients of a tenant's admin API (deploy scripts, CI): confidential, client credentials, scope <see cref="AdminAccess.Scope"/>.</summary>
public static class MachineClients
{
    public static OpenIddictApplicationDescriptor Descriptor(string tenant, string clientId, string secret, string? displayName = null)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName ?? clientId,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + AdminAccess.Scope },
        };
        descriptor.Properties[TenantClients.TenantProperty] = JsonSerializer.SerializeToElement(tenant);
        return descriptor;
    }
}
