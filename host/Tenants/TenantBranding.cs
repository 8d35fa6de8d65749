using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Tenants;

/// <summary>What the hosted pages show of the tenant: its friendly name and logo.</summary>
public sealed class TenantBranding(RulesMfaDbContext database)
{
    public sealed record Brand(string Name, string? LogoUrl);

    public async Task<Brand> ForAsync(HttpContext http)
    {
        var tenantId = TenantContext.Of(http)?.Id;
        var tenant = tenantId is null ? null : await database.Tenants.AsNoTracking().SingleOrDefaultAsync(record => record.Id == tenantId, http.RequestAborted);
        return tenant is null
            ? new Brand("RulesMfa", null)
            : new Brand(tenant.DisplayName, Uri.TryCreate(tenant.LogoUrl, UriKind.Absolute, out var logo) && logo.Scheme is "https" or "http" ? logo.ToString() : null);
    }
}
