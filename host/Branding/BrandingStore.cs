using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Compilation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Branding;

/// <summary>A tenant's branding: read, and replaced as a whole once valid (nothing is saved when a field is wrong), audited.</summary>
public sealed class BrandingStore(RulesMfaDbContext database, AuditTrail audit)
{
    public async Task<BrandingSettings> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await database.Tenants.AsNoTracking().SingleAsync(record => record.Id == tenantId, cancellationToken);
        return new BrandingSettings(tenant.DisplayName, tenant.LogoUrl, tenant.BrandColor, tenant.PageTemplate);
    }

    /// <summary>Replaces the branding; returns every problem (nothing saved), or an empty list when saved.</summary>
    public async Task<IReadOnlyList<FieldError>> SaveAsync(string tenantId, BrandingSettings branding, Actor actor, CancellationToken cancellationToken)
    {
        var problems = branding.Problems();
        if (problems.Count > 0)
        {
            return problems;
        }

        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var oldHash = HashOf(tenant.DisplayName, tenant.LogoUrl, tenant.BrandColor, tenant.PageTemplate);
        tenant.DisplayName = branding.DisplayName!.Trim();
        tenant.LogoUrl = BrandingSettings.NullIfEmpty(branding.LogoUrl);
        tenant.BrandColor = BrandingSettings.NullIfEmpty(branding.PrimaryColor)?.ToLowerInvariant();
        tenant.PageTemplate = BrandingSettings.NullIfEmpty(branding.PageTemplate);
        audit.Record(tenantId, actor, "branding.changed", "branding", oldHash, HashOf(tenant.DisplayName, tenant.LogoUrl, tenant.BrandColor, tenant.PageTemplate),
            tenant.PageTemplate is null ? "default page layout" : "page template set");
        await database.SaveChangesAsync(cancellationToken);
        return [];
    }

    private static string HashOf(params string?[] parts) => RuleCompiler.VersionHashOf(string.Join('\u001f', parts.Select(part => part ?? "")));
}
