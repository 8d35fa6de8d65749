using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Tenants;

/// <summary>Which tenants exist. Known ids are cached; an unknown one is looked up in the database each time.</summary>
public sealed class TenantCatalog(IServiceScopeFactory scopes)
{
    private readonly ConcurrentDictionary<string, bool> known = new(StringComparer.Ordinal);

    public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken)
    {
        if (known.ContainsKey(id))
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>();
        if (await database.Tenants.AnyAsync(tenant => tenant.Id == id, cancellationToken))
        {
            known[id] = true;
            return true;
        }

        return false;
    }
}
