using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Login;

/// <summary>Checks an email and password with ASP.NET Core Identity's hasher; unknown users and wrong passwords look alike.</summary>
public sealed class PasswordLogin(RulesMfaDbContext database)
{
    private static readonly PasswordHasher<UserRecord> Hasher = new();

    // Verified when the user is unknown, so both failures take about as long.
    private static readonly UserRecord Nobody = new()
    {
        Id = "", TenantId = "", Email = "", PasswordHash = Hasher.HashPassword(null!, Guid.NewGuid().ToString()),
    };

    public async Task<UserRecord?> VerifyAsync(string tenantId, string email, string password, CancellationToken cancellationToken)
    {
        var normalized = email.Trim().ToLowerInvariant();
        var user = await database.Users.SingleOrDefaultAsync(record => record.TenantId == tenantId && record.Email == normalized, cancellationToken);
        var result = Hasher.VerifyHashedPassword(user ?? Nobody, (user ?? Nobody).PasswordHash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
            await database.SaveChangesAsync(cancellationToken);
        }

        return user;
    }
}
