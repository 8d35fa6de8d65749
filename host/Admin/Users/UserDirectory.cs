using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Admin.Users;

/// <summary>The tenant's users as support sees them: searched by email or name, one with their factors' names.</summary>
public sealed class UserDirectory(RulesMfaDbContext database, EnrolledFactors enrolled, MfaFactors factors, RememberedBrowsers browsers)
{
    /// <summary>The most users one search returns: 50.</summary>
    public const int MaxResults = 50;

    /// <summary>Users of the tenant whose email or name contains <paramref name="search"/> (all when empty), by email.</summary>
    public async Task<IReadOnlyList<UserSummary>> SearchAsync(string tenantId, string? search, CancellationToken cancellationToken)
    {
        var users = database.Users.AsNoTracking().Where(user => user.TenantId == tenantId);
        if (search?.Trim().ToLowerInvariant() is { Length: > 0 } text)
        {
            users = users.Where(user => user.Email.Contains(text) || (user.Name != null && user.Name.ToLower().Contains(text)) || user.Id == text);
        }

        return await users.OrderBy(user => user.Email).Take(MaxResults)
            .Select(user => new UserSummary(user.Id, user.Email, user.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>The user with their enrolled factors as logins see them; null when the tenant has no such user.</summary>
    public async Task<UserDetail?> GetAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, userId, cancellationToken) is not { } user)
        {
            return null;
        }

        var factorNames = (await enrolled.EnrollmentsOfUserAsync(user.Id, cancellationToken))
            .Select(enrollment => new EnrolledFactorName(enrollment.Type, factors.DisplayNameOf(enrollment.Type), enrollment.Standalone)).ToList();
        return new UserDetail(user.Id, user.Email, user.Name, user.IsAdmin, user.CreatedAt, user.LastLogin, user.LoginsCount, factorNames,
            await browsers.CountRememberedAsync(user.Id, cancellationToken));
    }

    /// <summary>The user, only when they belong to <paramref name="tenantId"/>: an admin never reaches another tenant's users.</summary>
    public Task<UserRecord?> FindAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        database.Users.AsNoTracking().SingleOrDefaultAsync(user => user.Id == userId && user.TenantId == tenantId, cancellationToken);
}
