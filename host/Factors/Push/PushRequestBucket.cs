using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// How many push requests a user's sign-ins may send, as Auth0 limits them: a burst of <see cref="Burst"/>, then one more
/// every <see cref="RefillInterval"/> (5 a minute). A <see cref="RefillingBucket"/> per user in the database (key
/// <c>push:{userId}</c>), so concurrent requests on any host never take more than there are.
/// </summary>
public sealed class PushRequestBucket(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>Requests a user may send at once: 5.</summary>
    public const int Burst = 5;

    /// <summary>Time for one request to come back: 12 seconds, so 5 a minute.</summary>
    public static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(12);

    private readonly RefillingBucket bucket = new(database, clock, Burst, RefillInterval);

    /// <summary>Takes one request; the time the next one is allowed when none is left.</summary>
    public async Task<DateTimeOffset?> TryTakeAsync(string userId, CancellationToken cancellationToken) =>
        await bucket.TryTakeAsync($"push:{userId}", cancellationToken) is { } wait ? clock.GetUtcNow() + wait : null;
}
