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
    // Refill arithmetic in doubles may land a hair below a whole token.
    private const double Tolerance = 1e-9;

    private readonly AttemptLimits limits = limits ?? new AttemptLimits();

    // The bucket as this request last wrote it: the refund of a right code, right after its take, starts from it unread.
    private ThrottleRecord? written;

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

    private async Task<bool> UpdateAsync(string key, Func<ThrottleRecord, DateTimeOffset, bool> change, CancellationToken cancellationToken)
    {
        var known = written;
        written = null;
        ThrottleRecord? changed = null;
        var saved = await ThrottleUpdates.UpdateAsync(database, clock, key, now => new ThrottleRecord { Key = key, Tokens = limits.BucketCapacity, UpdatedAt = now },
            (record, now) =>
            {
                changed = change(record, now) ? record : null;
                return changed is not null;
            }, cancellationToken, known);
        written = saved ? changed : null;
        return saved;
    }
}
