using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// How many push requests a user's sign-ins may send, as Auth0 limits them: a burst of <see cref="Burst"/>, then one more
/// every <see cref="RefillInterval"/> (5 a minute). A token bucket per user in the database (key <c>push:{userId}</c>),
/// written through <see cref="ThrottleUpdates"/>, so concurrent requests on any host never take more than there are.
/// </summary>
public sealed class PushRequestBucket(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>Requests a user may send at once: 5.</summary>
    public const int Burst = 5;

    /// <summary>Time for one request to come back: 12 seconds, so 5 a minute.</summary>
    public static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(12);

    /// <summary>Takes one request; the time the next one is allowed when none is left.</summary>
    public async Task<DateTimeOffset?> TryTakeAsync(string userId, CancellationToken cancellationToken)
    {
        DateTimeOffset? retryAt = null;
        var key = $"push:{userId}";
        await ThrottleUpdates.UpdateAsync(database, clock, key, now => new ThrottleRecord { Key = key, Tokens = Burst, UpdatedAt = now }, (record, now) =>
        {
            var tokens = Math.Min(Burst, record.Tokens + Math.Max(0, (now - record.UpdatedAt) / RefillInterval));
            if (tokens < 1)
            {
                retryAt = now + RefillInterval * (1 - tokens);
                return false;
            }

            (record.Tokens, record.UpdatedAt, retryAt) = (tokens - 1, now > record.UpdatedAt ? now : record.UpdatedAt, null);
            return true;
        }, cancellationToken);
        return retryAt;
    }
}
