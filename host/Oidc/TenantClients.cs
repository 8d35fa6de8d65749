using System.Text.Json;
using OpenIddict.Abstractions;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// Which tenant a client belongs to. OpenIddict's client table is shared by every tenant, so each
/// application carries its tenant in its properties; a client of another tenant is treated as unknown.
/// </summary>
public sealed class TenantClients(IOpenIddictApplicationManager applications)
{
    /// <summary>The application property that names its tenant.</summary>
    public const string TenantProperty = "tenant";

    public async Task<bool> BelongsToAsync(string? clientId, string tenant, CancellationToken cancellationToken)
    {
        var application = string.IsNullOrEmpty(clientId) ? null : await applications.FindByClientIdAsync(clientId, cancellationToken);
        return application is not null && await BelongsToAsync(application, tenant, cancellationToken);
    }

    /// <summary>Whether a post-logout redirect URI is registered by one of the tenant's clients.</summary>
    public async Task<bool> OwnsPostLogoutRedirectAsync(string redirectUri, string tenant, CancellationToken cancellationToken)
    {
        await foreach (var application in applications.FindByPostLogoutRedirectUriAsync(redirectUri, cancellationToken))
        {
            if (await BelongsToAsync(application, tenant, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<bool> BelongsToAsync(object application, string tenant, CancellationToken cancellationToken)
    {
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        return properties.TryGetValue(TenantProperty, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == tenant;
    }
}
