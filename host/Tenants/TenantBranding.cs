using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Branding;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Tenants;

/// <summary>
/// What the hosted pages show of the tenant: its friendly name, logo, primary colour and page template. Scoped: the
/// tenant's record is read at most once per request, however many parts of the page ask.
/// </summary>
public sealed class TenantBranding(RulesMfaDbContext database)
{
    public sealed record Brand(string Name, string? LogoUrl, string? Color = null, string? PageTemplate = null)
    {
        public PageTemplateModel Model => new(Name, LogoUrl, Color);
    }

    private static readonly object PreviewKey = new();

    private static readonly Brand Unbranded = new("RulesMfa", null);

    private (string TenantId, Brand Brand)? stored;

    /// <summary>Makes this request's page show <paramref name="brand"/> instead of the stored branding (the console's preview).</summary>
    public static void ShowInstead(HttpContext http, Brand brand) => http.Items[PreviewKey] = brand;

    /// <summary>The request has read the tenant's record already: its branding is taken from it instead of read again.</summary>
    public void Remember(TenantRecord tenant) => stored = (tenant.Id, Of(tenant));

    public async Task<Brand> ForAsync(HttpContext http)
    {
        if (http.Items[PreviewKey] is Brand preview)
        {
            return preview;
        }

        if (TenantContext.Of(http)?.Id is not { } tenantId)
        {
            return Unbranded;
        }

        if (stored is not { } known || known.TenantId != tenantId)
        {
            var tenant = await database.Tenants.AsNoTracking().SingleOrDefaultAsync(record => record.Id == tenantId, http.RequestAborted);
            known = (tenantId, tenant is null ? Unbranded : Of(tenant));
            stored = known;
        }

        return known.Brand;
    }

    private static Brand Of(TenantRecord tenant) =>
        new(tenant.DisplayName, BrandingSettings.IsHttpsUrl(tenant.LogoUrl) ? tenant.LogoUrl : null,
            tenant.BrandColor is { } color && BrandColor.Problem(color) is null ? color : null, tenant.PageTemplate);
}
