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

    /// <summary>
    /// Checks the password. <paramref name="knownDevice"/>, when the caller is a browser, tells from the account's stored
    /// password hash whether it signed in as this account before (<see cref="KnownDevices"/>: its device id, or null); such a
    /// browser is counted on a counter of its own, and <see cref="PasswordCheck.Passed.KnownDevice"/> says which.
    /// </summary>
    public async Task<PasswordCheck> CheckAsync(
        string tenantId, string email, string password, IPAddress? address, Func<string, string?>? knownDevice, CancellationToken cancellationToken)
    {
        // Looked up before the attempt is reserved (it reads, never verifies): the known browser's counter depends on it.
        var normalized = email.Trim().ToLowerInvariant();
        var user = await database.Users.SingleOrDefaultAsync(record => record.TenantId == tenantId && record.Email == normalized, cancellationToken);
        var device = user is null ? null : knownDevice?.Invoke(user.PasswordHash);
        if (await lockout.ReserveAsync(tenantId, email, address, device, cancellationToken) is { } blockedFor)
        {
            return new PasswordCheck.Blocked(blockedFor);
        }

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

        await lockout.RecordSuccessAsync(tenantId, email, address, device, cancellationToken);
        return new PasswordCheck.Passed(user, device);
    }
}
