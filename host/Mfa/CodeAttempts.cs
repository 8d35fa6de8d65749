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
/// back when the code was right (<see cref="RefundAsync"/>), so only wrong codes cost. The bucket is one number, the time it
/// is full again (<see cref="ThrottleRecord.FullAt"/>), so it refills continuously with no background job, and taking or
/// giving back an attempt is a single conditional <c>UPDATE</c>: the database decides and writes in one step, so concurrent
/// attempts on any host never take more than there are.
/// </remarks>
public sealed class CodeAttempts(RulesMfaDbContext database, TimeProvider clock, AttemptLimits? limits = null)
{
    private readonly AttemptLimits limits = limits ?? new AttemptLimits();

    /// <summary>The bucket of a user's codes: <c>code:{userId}</c>, the same for every code factor and the recovery code.</summary>
    public static string KeyFor(string userId) => $"code:{userId}";

    /// <summary>Takes one attempt from the user's bucket; false means too many attempts: refuse without checking the code.</summary>
    public async Task<bool> TryTakeAsync(string userId, CancellationToken cancellationToken)
    {
        var key = KeyFor(userId);
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var (ticks, interval) = (now.UtcTicks, limits.RefillInterval.Ticks);
            // An attempt is left while the bucket is full again no later than capacity - 1 refills from now.
            var lastWithAnAttempt = ticks + (limits.BucketCapacity - 1) * interval;
            var taken = await database.Throttles
                .Where(throttle => throttle.Key == key && throttle.FullAt <= lastWithAnAttempt)
                .ExecuteUpdateAsync(update => update
                    .SetProperty(throttle => throttle.FullAt, throttle => (throttle.FullAt < ticks ? ticks : throttle.FullAt) + interval)
                    .SetProperty(throttle => throttle.UpdatedAt, now), cancellationToken);
            if (taken == 1)
            {
                return true;
            }

            if (await database.Throttles.AnyAsync(throttle => throttle.Key == key, cancellationToken))
            {
                return false;
            }

            // The user's first attempt: a new bucket with it taken. If another request created the bucket first (the key
            // is the primary key), the insert fails, whatever the provider's error code, and the next turn takes from
            // theirs; a second failure stands.
            var created = database.Throttles.Add(new ThrottleRecord { Key = key, FullAt = ticks + interval, UpdatedAt = now });
            try
            {
                await database.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException) when (attempt == 1)
            {
            }
            finally
            {
                created.State = EntityState.Detached;
            }
        }
    }

    /// <summary>Gives back the attempt taken for a code that turned out right; the bucket never exceeds its capacity.</summary>
    public Task RefundAsync(string userId, CancellationToken cancellationToken)
    {
        var key = KeyFor(userId);
        var now = clock.GetUtcNow();
        var (ticks, interval) = (now.UtcTicks, limits.RefillInterval.Ticks);
        return database.Throttles
            .Where(throttle => throttle.Key == key && throttle.FullAt > ticks)
            .ExecuteUpdateAsync(update => update
                .SetProperty(throttle => throttle.FullAt, throttle => throttle.FullAt - interval < ticks ? ticks : throttle.FullAt - interval)
                .SetProperty(throttle => throttle.UpdatedAt, now), cancellationToken);
    }

    /// <summary>How long until the user may try a code again; null when an attempt is available now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string userId, CancellationToken cancellationToken)
    {
        var key = KeyFor(userId);
        var fullAt = await database.Throttles.Where(throttle => throttle.Key == key).Select(throttle => (long?)throttle.FullAt).SingleOrDefaultAsync(cancellationToken);
        var lastWithAnAttempt = clock.GetUtcNow().UtcTicks + (limits.BucketCapacity - 1) * limits.RefillInterval.Ticks;
        return fullAt > lastWithAnAttempt ? TimeSpan.FromTicks(fullAt.Value - lastWithAnAttempt) : null;
    }
}
