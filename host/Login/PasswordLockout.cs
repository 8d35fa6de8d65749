using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Login;

/// <summary>
/// Slows down password guessing, counted in the database so every host sees the same counts: per account
/// (<c>password-account:{tenant}:{email}</c>, the email trimmed and lower-cased as <see cref="PasswordLogin"/> does) and per
/// client address (<c>password-ip:{tenant}:{ip}</c>; an IPv6 address counts as its /64 network, which one client usually holds
/// whole). The first <see cref="AttemptLimits.FreePasswordFailures"/> failures (default 5) cost nothing; failure n after them
/// blocks that key for 2^n seconds (2 s, 4 s, 8 s, ...) up to <see cref="AttemptLimits.MaxPasswordBlock"/> (default 15 minutes).
/// </summary>
/// <remarks>
/// An attempt is reserved with <see cref="ReserveAsync"/> before the password is verified: the reservation counts as a
/// failure at once, in one compare-and-set write per key that refuses while the key is blocked, so a burst of parallel
/// guesses verifies at most <see cref="AttemptLimits.FreePasswordFailures"/> + 1 passwords before the block stops the rest
/// (checking first and recording after let every request of a burst through the check). A right password then calls
/// <see cref="RecordSuccessAsync"/>: the account starts again from zero, the address gets its reserved attempt back.
/// Unknown emails are counted exactly like known ones, so the lockout tells nothing about which accounts exist. A counter
/// with no failure for <see cref="AttemptLimits.ForgetPasswordFailuresAfter"/> (default 1 day) starts again from zero.
/// </remarks>
public sealed class PasswordLockout(RulesMfaDbContext database, TimeProvider clock, AttemptLimits? limits = null)
{
    private readonly AttemptLimits limits = limits ?? new AttemptLimits();

    /// <summary>The counter of an account: <c>password-account:{tenant}:{email}</c> with the email trimmed and lower-cased.</summary>
    public static string AccountKey(string tenantId, string email) => $"password-account:{tenantId}:{email.Trim().ToLowerInvariant()}";

    /// <summary>
    /// The counter of a client address: <c>password-ip:{tenant}:{ip}</c>, an IPv4-mapped address as IPv4 and an IPv6 address
    /// as its /64 network; null (nothing counted) when the address is unknown, as with an in-process test server.
    /// </summary>
    public static string? AddressKey(string tenantId, IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return $"password-ip:{tenantId}:{new IPAddress(bytes)}/64";
        }

        return $"password-ip:{tenantId}:{address}";
    }

    /// <summary>How long the account or the address is still blocked, whichever is longer; null when a password may be tried.</summary>
    public async Task<TimeSpan?> BlockedForAsync(string tenantId, string email, IPAddress? address, CancellationToken cancellationToken)
    {
        var keys = KeysOf(tenantId, email, address);
        var blocks = await database.Throttles.AsNoTracking()
            .Where(throttle => keys.Contains(throttle.Key))
            .Select(throttle => throttle.BlockedUntil)
            .ToListAsync(cancellationToken);
        var until = blocks.Max();
        var now = clock.GetUtcNow();
        return until > now ? until.Value - now : null;
    }

    /// <summary>
    /// Reserves one password attempt on the account, then on the address, each counted as a failure (and blocking the key
    /// past the free failures) in the same write that checks the key is not blocked. Null when the password may be verified;
    /// otherwise how long the key that refused is still blocked. An account reserved just before its address refused keeps
    /// the failure: a race with a blocked address costs the account one attempt, never a free guess.
    /// </summary>
    public async Task<TimeSpan?> ReserveAsync(string tenantId, string email, IPAddress? address, CancellationToken cancellationToken)
    {
        // Read first, so that a blocked key in the common, unhurried case refuses without writing to the other one.
        if (await BlockedForAsync(tenantId, email, address, cancellationToken) is { } blocked)
        {
            return blocked;
        }

        foreach (var key in KeysOf(tenantId, email, address))
        {
            TimeSpan? refusedFor = null;
            await UpdateAsync(key, (record, now) =>
            {
                if (record.BlockedUntil > now)
                {
                    refusedFor = record.BlockedUntil.Value - now;
                    return false;
                }

                CountFailure(record, now);
                return true;
            }, cancellationToken);
            if (refusedFor is not null)
            {
                return refusedFor;
            }
        }

        return null;
    }

    /// <summary>After a right password: the account's counter starts again from zero; the address gets its reserved attempt back.</summary>
    public async Task RecordSuccessAsync(string tenantId, string email, IPAddress? address, CancellationToken cancellationToken)
    {
        await UpdateAsync(AccountKey(tenantId, email), (record, now) =>
        {
            if (record.Failures == 0 && record.BlockedUntil is null)
            {
                return false;
            }

            record.Failures = 0;
            record.BlockedUntil = null;
            record.UpdatedAt = now;
            return true;
        }, cancellationToken);

        if (AddressKey(tenantId, address) is { } addressKey)
        {
            await UpdateAsync(addressKey, (record, _) =>
            {
                if (record.Failures == 0)
                {
                    return false;
                }

                // Only a block the refunded attempt itself set is lifted; one that earlier failures set stays (it may be
                // a little longer than theirs alone, never shorter).
                record.Failures--;
                if (record.Failures <= limits.FreePasswordFailures)
                {
                    record.BlockedUntil = null;
                }

                return true;
            }, cancellationToken);
        }
    }

    private void CountFailure(ThrottleRecord record, DateTimeOffset now)
    {
        var failures = now - record.UpdatedAt >= limits.ForgetPasswordFailuresAfter ? 0 : record.Failures;
        record.Failures = failures == int.MaxValue ? failures : failures + 1;
        if (record.Failures > limits.FreePasswordFailures)
        {
            var until = now + BlockFor(record.Failures - limits.FreePasswordFailures);
            record.BlockedUntil = record.BlockedUntil > until ? record.BlockedUntil : until;
        }

        record.UpdatedAt = now;
    }

    private static List<string> KeysOf(string tenantId, string email, IPAddress? address) =>
        AddressKey(tenantId, address) is { } addressKey ? [AccountKey(tenantId, email), addressKey] : [AccountKey(tenantId, email)];

    // 2^n seconds for the n-th failure past the free ones; the exponent is capped long before a long overflows.
    private TimeSpan BlockFor(int failuresPastFree)
    {
        var wait = TimeSpan.FromSeconds(1L << Math.Min(failuresPastFree, 30));
        return wait < limits.MaxPasswordBlock ? wait : limits.MaxPasswordBlock;
    }

    private Task UpdateAsync(string key, Func<ThrottleRecord, DateTimeOffset, bool> change, CancellationToken cancellationToken) =>
        ThrottleUpdates.UpdateAsync(database, clock, key, now => new ThrottleRecord { Key = key, UpdatedAt = now }, change, cancellationToken);
}
