using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// A signed-in user and their tenant, read together in one query: every MFA page request needs both (the tenant's
/// settings and branding are the page's). Tracked, so a later lookup of the user in the request needs no query.
/// </summary>
internal sealed record UserInTenant(UserRecord User, TenantRecord Tenant)
{
    // Compiled once: each request skips EF Core's query cache lookup and parameter extraction.
    private static readonly Func<RulesMfaDbContext, string, string, CancellationToken, Task<UserInTenant?>> Query = EF.CompileAsyncQuery(
        (RulesMfaDbContext database, string userId, string tenantId, CancellationToken cancellationToken) => database.Users
            .Where(user => user.Id == userId && user.TenantId == tenantId)
            .Join(database.Tenants, user => user.TenantId, tenant => tenant.Id, (user, tenant) => new UserInTenant(user, tenant))
            .SingleOrDefault());

    /// <summary>The user <paramref name="userId"/> when they belong to <paramref name="tenantId"/>, with that tenant; otherwise null.</summary>
    public static Task<UserInTenant?> FindAsync(RulesMfaDbContext database, string userId, string tenantId, CancellationToken cancellationToken) =>
        Query(database, userId, tenantId, cancellationToken);
}
