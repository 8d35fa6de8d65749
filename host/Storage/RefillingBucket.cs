using Microsoft.EntityFrameworkCore;

namespace RulesMfa.Host.Storage;

/// <summary>
/// A token bucket in the database, shared by every host: <paramref name="capacity"/> tokens, one back every
/// <paramref name="refillInterval"/>, refilled continuously with no background job. The bucket is one number, the time
/// it is full again (<see cref="ThrottleRecord.FullAt"/>), so taking or giving back a token is a single conditional
/// <c>UPDATE</c>: the database decides and writes in one step, and concurrent requests never take more than there are.
/// </summary>
internal sealed class RefillingBucket(RulesMfaDbContext database, TimeProvider clock, int capacity, TimeSpan refillInterval)
{
    private const int MaxAttempts = 10;

    /// <summary>Takes one token; null when taken, otherwise how long until the next one.</summary>
    public async Task<TimeSpan?> TryTakeAsync(string key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var (ticks, interval) = (now.UtcTicks, refillInterval.Ticks);
            var lastWithAToken = LastFullAtWithAToken(ticks);
            var taken = await database.Throttles
                .Where(throttle => throttle.Key == key && throttle.FullAt <= lastWithAToken)
                .ExecuteUpdateAsync(update => update
                    .SetProperty(throttle => throttle.FullAt, throttle => (throttle.FullAt < ticks ? ticks : throttle.FullAt) + interval)
                    .SetProperty(throttle => throttle.UpdatedAt, now), cancellationToken);
            if (taken == 1)
            {
                return null;
            }

            var fullAt = await FullAtAsync(key, cancellationToken);
            if (fullAt > lastWithAToken)
            {
                return TimeSpan.FromTicks(fullAt.Value - lastWithAToken);
            }

            if (fullAt is null && await TryCreateTakenAsync(key, now, cancellationToken))
            {
                return null;
            }

            // A token came back between the update and the read, or another request created the bucket first: try again.
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"The bucket '{key}' changed under {MaxAttempts} attempts in a row to take a token.");
            }
        }
    }

    /// <summary>Gives back a token taken for nothing; the bucket never holds more than its capacity.</summary>
    public Task RefundAsync(string key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (ticks, interval) = (now.UtcTicks, refillInterval.Ticks);
        return database.Throttles
            .Where(throttle => throttle.Key == key && throttle.FullAt > ticks)
            .ExecuteUpdateAsync(update => update
                .SetProperty(throttle => throttle.FullAt, throttle => throttle.FullAt - interval < ticks ? ticks : throttle.FullAt - interval)
                .SetProperty(throttle => throttle.UpdatedAt, now), cancellationToken);
    }

    /// <summary>How long until a token is back; null when one is available now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string key, CancellationToken cancellationToken)
    {
        var fullAt = await FullAtAsync(key, cancellationToken);
        var lastWithAToken = LastFullAtWithAToken(clock.GetUtcNow().UtcTicks);
        return fullAt > lastWithAToken ? TimeSpan.FromTicks(fullAt.Value - lastWithAToken) : null;
    }

    // A token is left while the bucket is full again no later than capacity - 1 refills from now.
    private long LastFullAtWithAToken(long nowTicks) => nowTicks + (capacity - 1) * refillInterval.Ticks;

    private Task<long?> FullAtAsync(string key, CancellationToken cancellationToken) =>
        database.Throttles.Where(throttle => throttle.Key == key).Select(throttle => (long?)throttle.FullAt).SingleOrDefaultAsync(cancellationToken);

    // The key's first token: a new bucket with it taken. If another request created the bucket first (the key is the
    // primary key), the insert fails, whatever the provider's error code, and false sends the caller to take from theirs.
    private async Task<bool> TryCreateTakenAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var created = database.Throttles.Add(new ThrottleRecord { Key = key, FullAt = now.UtcTicks + refillInterval.Ticks, UpdatedAt = now });
        try
        {
            await database.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            created.State = EntityState.Detached;
            if (await FullAtAsync(key, cancellationToken) is null)
            {
                throw;
            }

            return false;
        }
        finally
        {
            created.State = EntityState.Detached;
        }
    }
}
