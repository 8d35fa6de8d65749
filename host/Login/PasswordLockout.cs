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
/// whole). The first <see cref="AttemptLimits.FreePasswordFailures"/> failures of an account (default 5) and the first
/// <see cref="AttemptLimits.FreeAddressPasswordFailures"/> of an address (default 100: many people may share it) cost
/// nothing; failure n after them blocks that key for 2^n seconds (2 s, 4 s, 8 s, ...) up to
/// <see cref="AttemptLimits.MaxPasswordBlock"/> (default 15 minutes).
/// </summary>
/// <remarks>
/// An attempt is reserved with <see cref="ReserveAsync"/> before the password is verified: the reservation counts as a
/// failure at once, in one compare-and-set write of both counters that refuses while either is blocked, so a burst of parallel
/// guesses at one account verifies at most <see cref="AttemptLimits.FreePasswordFailures"/> + 1 passwords before the block stops the rest
/// (checking first and recording after let every request of a burst through the check). A right password then calls
/// <see cref="RecordSuccessAsync"/>: the account starts again from zero, the address gets its reserved attempt back.
/// Unknown emails are counted exactly like known ones, so the lockout tells nothing about which accounts exist. A counter
/// with no failure for <see cref="AttemptLimits.ForgetPasswordFailuresAfter"/> (default 1 day) starts again from zero.
/// A browser that signed in as the account before (<see cref="KnownDevices"/>) is counted on a counter of its own
/// (<see cref="DeviceKey"/>) in place of the account's: anyone who knows an email can block the account, but not in the
/// browsers its owner already uses.
/// </remarks>
public sealed class PasswordLockout(RulesMfaDbContext database, TimeProvider clock, AttemptLimits? limits = null)
{
    private readonly AttemptLimits limits = limits ?? new AttemptLimits();

    /// <summary>The counter of an account: <c>password-account:{tenant}:{email}</c> with the email trimmed and lower-cased.</summary>
    public static string AccountKey(string tenantId, string email) => $"password-account:{tenantId}:{email.Trim().ToLowerInvariant()}";

    /// <summary>
    /// The counter of an account in one browser that signed in as it before (<see cref="KnownDevices"/>):
    /// <c>password-device:{tenant}:{email}:{device}</c>, counted instead of the account's, with the account's free failures and blocks.
    /// </summary>
    public static string DeviceKey(string tenantId, string email, string deviceId) => $"password-device:{tenantId}:{email.Trim().ToLowerInvariant()}:{deviceId}";

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
    /// Reserves one password attempt: counted as a failure on the account and the address (blocking them past the free
    /// failures) in the same write that checks neither is blocked. Null when the password may be verified; otherwise how
    /// long the account or the address is still blocked, and nothing is counted.
    /// </summary>
    public Task<TimeSpan?> ReserveAsync(string tenantId, string email, IPAddress? address, CancellationToken cancellationToken) =>
        ReserveAsync(tenantId, email, address, knownDevice: null, cancellationToken);

    /// <summary>
    /// As <see cref="ReserveAsync(string, string, IPAddress?, CancellationToken)"/>, from a browser that signed in as the account
    /// before (<paramref name="knownDevice"/>, its device id, or null): counted on that browser's own counter instead of the
    /// account's, so the account's block, which anyone who knows the email can set, does not refuse it.
    /// </summary>
    public async Task<TimeSpan?> ReserveAsync(string tenantId, string email, IPAddress? address, string? knownDevice, CancellationToken cancellationToken)
    {
        TimeSpan? refusedFor = null;
        await UpdateAsync(KeysOf(tenantId, email, address, knownDevice), (records, now) =>
        {
            var blockedUntil = records.Max(record => record.BlockedUntil);
            refusedFor = blockedUntil > now ? blockedUntil.Value - now : null;
            if (refusedFor is not null)
            {
                return false;
            }

            CountFailure(records[0], limits.FreePasswordFailures, now);
            if (records.Count > 1)
            {
                CountFailure(records[1], limits.FreeAddressPasswordFailures, now);
            }

            return true;
        }, cancellationToken);
        return refusedFor;
    }

    /// <summary>After a right password: the account's counter starts again from zero; the address gets its reserved attempt back.</summary>
    public Task RecordSuccessAsync(string tenantId, string email, IPAddress? address, CancellationToken cancellationToken) =>
        RecordSuccessAsync(tenantId, email, address, knownDevice: null, cancellationToken);

    /// <summary>As <see cref="RecordSuccessAsync(string, string, IPAddress?, CancellationToken)"/>, for the counter the attempt was reserved on (the known browser's, when <paramref name="knownDevice"/> is given).</summary>
    public Task RecordSuccessAsync(string tenantId, string email, IPAddress? address, string? knownDevice, CancellationToken cancellationToken) =>
        UpdateAsync(KeysOf(tenantId, email, address, knownDevice), (records, now) =>
        {
            var (account, addressCounter) = (records[0], records.Count > 1 ? records[1] : null);
            if (account.Failures == 0 && account.BlockedUntil is null && addressCounter is not { Failures: > 0 })
            {
                return false;
            }

            account.Failures = 0;
            account.BlockedUntil = null;
            account.UpdatedAt = now;
            if (addressCounter is { Failures: > 0 })
            {
                // Only a block the refunded attempt itself set is lifted; one that earlier failures set stays (it may be
                // a little longer than theirs alone, never shorter).
                addressCounter.Failures--;
                if (addressCounter.Failures <= limits.FreeAddressPasswordFailures)
                {
                    addressCounter.BlockedUntil = null;
                }
            }

            return true;
        }, cancellationToken);

    private void CountFailure(ThrottleRecord record, int freeFailures, DateTimeOffset now)
    {
        var failures = now - record.UpdatedAt >= limits.ForgetPasswordFailuresAfter ? 0 : record.Failures;
        record.Failures = failures == int.MaxValue ? failures : failures + 1;
        if (record.Failures > freeFailures)
        {
            var until = now + BlockFor(record.Failures - freeFailures);
            record.BlockedUntil = record.BlockedUntil > until ? record.BlockedUntil : until;
        }

        record.UpdatedAt = now;
    }

    private static List<string> KeysOf(string tenantId, string email, IPAddress? address, string? knownDevice = null)
    {
        var first = knownDevice is null ? AccountKey(tenantId, email) : DeviceKey(tenantId, email, knownDevice);
        return AddressKey(tenantId, address) is { } addressKey ? [first, addressKey] : [first];
    }

    // 2^n seconds for the n-th failure past the free ones; the exponent is capped long before a long overflows.
    private TimeSpan BlockFor(int failuresPastFree)
    {
        var wait = TimeSpan.FromSeconds(1L << Math.Min(failuresPastFree, 30));
        return wait < limits.MaxPasswordBlock ? wait : limits.MaxPasswordBlock;
    }

    // The account's (or the known browser's) counter first, then the address's when it is known.
    private Task<bool> UpdateAsync(List<string> keys, Func<IReadOnlyList<ThrottleRecord>, DateTimeOffset, bool> change, CancellationToken cancellationToken) =>
        ThrottleUpdates.UpdateAsync(database, clock, keys, (key, now) => new ThrottleRecord { Key = key, UpdatedAt = now }, change, cancellationToken);
}
