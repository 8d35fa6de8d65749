using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Branding;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Tenants;

/// <summary>What the hosted pages show of the tenant: its friendly name, logo, primary colour and page template.</summary>
public sealed class TenantBranding(RulesMfaDbContext database)
{
    public sealed record Brand(string Name, string? LogoUrl, string? Color = null, string? PageTemplate = null)
    {
        public PageTemplateModel Model => new(Name, LogoUrl, Color);
    }

    private static readonly object PreviewKey = new();

    /// <summary>Makes this request's page show <paramref name="brand"/> instead of the stored branding (the console's preview).</summary>
    public static void ShowInstead(HttpContext http, Brand brand) => http.Items[PreviewKey] = brand;

    public async Task<Brand> ForAsync(HttpContext http)
    {
        if (http.Items[PreviewKey] is Brand preview)
        {
            return preview;
        }

        var tenantId = TenantContext.Of(http)?.Id;
        var tenant = tenantId is null ? null : await database.Tenants.AsNoTracking().SingleOrDefaultAsync(record => record.Id == tenantId, http.RequestAborted);
        return tenant is null
            ? new Brand("RulesMfa", null)
            : new Brand(tenant.DisplayName, BrandingSettings.IsHttpsUrl(tenant.LogoUrl) ? tenant.LogoUrl : null,
                tenant.BrandColor is { } color && BrandColor.Problem(color) is null ? color : null, tenant.PageTemplate);
    }
}
