using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Limits wrong MFA codes with a token bucket per user, kept in the database so every host draws from the same one:
/// <see cref="AttemptLimits.BucketCapacity"/> attempts (default 10), one back every <see cref="AttemptLimits.RefillInterval"/>
/// (default 6 minutes), as Auth0 does. All code factors of a user and the recovery-code form share one bucket, key
/// <c>code:{userId}</c>, so switching factor or falling back to the recovery code buys no extra guesses.
/// </summary>
/// <remarks>
/// Take an attempt before checking a code (<see cref="TryTakeAsync"/>; if refused, do not check the code at all) and give it
/// back when the code was right (<see cref="RefundAsync"/>), so only wrong codes cost. Tokens refill continuously from
/// <see cref="ThrottleRecord.UpdatedAt"/> on each access; there is no background job. Each write checks and increments
/// <see cref="ThrottleRecord.Version"/> and is retried on a lost race, so concurrent attempts never take more than there are.
/// </remarks>
public sealed class CodeAttempts(RulesMfaDbContext database, TimeProvider clock, AttemptLimits? limits = null)
{
    // Tries of one read-modify-write before the lost race is thrown; each loss means another request's write went through.
    private const int MaxWriteAttempts = 100;

    // Refill arithmetic in doubles may land a hair below a whole token.
    private const double Tolerance = 1e-9;

    private readonly AttemptLimits limits = limits ?? new AttemptLimits();

    /// <summary>The bucket of a user's codes: <c>code:{userId}</c>, the same for every code factor and the recovery code.</summary>
    public static string KeyFor(string userId) => $"code:{userId}";

    /// <summary>Takes one attempt from the user's bucket; false means too many attempts: refuse without checking the code.</summary>
    public Task<bool> TryTakeAsync(string userId, CancellationToken cancellationToken) =>
        UpdateAsync(KeyFor(userId), (record, now) =>
        {
            var tokens = TokensAt(record, now);
            if (tokens < 1 - Tolerance)
            {
                return false;
            }

            record.Tokens = Math.Max(0, tokens - 1);
            record.UpdatedAt = Later(now, record.UpdatedAt);
            return true;
        }, cancellationToken);

    /// <summary>Gives back the attempt taken for a code that turned out right; the bucket never exceeds its capacity.</summary>
    public Task RefundAsync(string userId, CancellationToken cancellationToken) =>
        UpdateAsync(KeyFor(userId), (record, now) =>
        {
            var tokens = TokensAt(record, now);
            if (tokens >= limits.BucketCapacity)
            {
                return false;
            }

            record.Tokens = Math.Min(limits.BucketCapacity, tokens + 1);
            record.UpdatedAt = Later(now, record.UpdatedAt);
            return true;
        }, cancellationToken);

    /// <summary>How long until the user may try a code again; null when an attempt is available now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string userId, CancellationToken cancellationToken)
    {
        var key = KeyFor(userId);
        var record = await database.Throttles.AsNoTracking().SingleOrDefaultAsync(throttle => throttle.Key == key, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var tokens = TokensAt(record, clock.GetUtcNow());
        return tokens >= 1 - Tolerance ? null : limits.RefillInterval * (1 - tokens);
    }

    private double TokensAt(ThrottleRecord record, DateTimeOffset now)
    {
        var refilled = Math.Max(0, (now - record.UpdatedAt) / limits.RefillInterval);
        return Math.Min(limits.BucketCapacity, record.Tokens + refilled);
    }

    // A host whose clock lags must not move the bucket back in time (it would refill the lag twice).
    private static DateTimeOffset Later(DateTimeOffset first, DateTimeOffset second) => first > second ? first : second;

    /// <summary>
    /// Reads the bucket (a full one if there is none yet), lets <paramref name="change"/> decide and edit it, and saves it only
    /// if nobody else wrote it since it was read; otherwise reads again. Returns what <paramref name="change"/> returned.
    /// </summary>
    private async Task<bool> UpdateAsync(string key, Func<ThrottleRecord, DateTimeOffset, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var stored = await database.Throttles.AsNoTracking().SingleOrDefaultAsync(throttle => throttle.Key == key, cancellationToken);
            var record = stored ?? new ThrottleRecord { Key = key, Tokens = limits.BucketCapacity, UpdatedAt = now };
            var version = record.Version;
            if (!change(record, now))
            {
                return false;
            }

            record.Version = version + 1;
            var entry = stored is null ? database.Throttles.Add(record) : database.Throttles.Update(record);
            entry.Property(throttle => throttle.Version).OriginalValue = version;
            try
            {
                await database.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException exception) when (attempt < MaxWriteAttempts && IsLostRace(exception))
            {
                // Another request updated the bucket, or created it first: read it again.
            }
            finally
            {
                entry.State = EntityState.Detached;
            }
        }
    }

    // SQLITE_CONSTRAINT_PRIMARYKEY / SQLITE_CONSTRAINT_UNIQUE: two requests inserted the same new key at once.
    private static bool IsLostRace(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException
        || exception.InnerException is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };
}
