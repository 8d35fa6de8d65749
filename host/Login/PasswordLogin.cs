using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Login;

/// <summary>
/// Checks an email and password with ASP.NET Core Identity's hasher, behind the <see cref="PasswordLockout"/>: an attempt
/// is reserved before the password is verified, and given back when it was right. Unknown users and wrong passwords look alike.
/// </summary>
public sealed class PasswordLogin(RulesMfaDbContext database, PasswordLockout lockout, IPasswordHasher<UserRecord> hasher)
{
    // Verified when the user is unknown, so both failures take about as long.
    private static readonly UserRecord Nobody = new()
    {
        Id = "", TenantId = "", Email = "", PasswordHash = new PasswordHasher<UserRecord>().HashPassword(null!, Guid.NewGuid().ToString()),
    };

    public Task<PasswordCheck> CheckAsync(string tenantId, string email, string password, IPAddress? address, CancellationToken cancellationToken) =>
        CheckAsync(tenantId, email, password, address, knownDevice: null, cancellationToken);

    /// <summary>As <see cref="CheckAsync(string, string, string, IPAddress?, CancellationToken)"/>, from a browser known to have signed in as the account (<see cref="KnownDevices"/>).</summary>
    public async Task<PasswordCheck> CheckAsync(string tenantId, string email, string password, IPAddress? address, string? knownDevice, CancellationToken cancellationToken)
    {
        if (await lockout.ReserveAsync(tenantId, email, address, knownDevice, cancellationToken) is { } blockedFor)
        {
            return new PasswordCheck.Blocked(blockedFor);
        }

        var normalized = email.Trim().ToLowerInvariant();
        var user = await database.Users.SingleOrDefaultAsync(record => record.TenantId == tenantId && record.Email == normalized, cancellationToken);
        var result = hasher.VerifyHashedPassword(user ?? Nobody, (user ?? Nobody).PasswordHash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            return new PasswordCheck.Failed();
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await database.SaveChangesAsync(cancellationToken);
        }

        await lockout.RecordSuccessAsync(tenantId, email, address, knownDevice, cancellationToken);
        return new PasswordCheck.Passed(user);
    }
}
