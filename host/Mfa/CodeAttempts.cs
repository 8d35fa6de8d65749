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
/// back when the code was right (<see cref="RefundAsync"/>), so only wrong codes cost. Each is one conditional <c>UPDATE</c>
/// (<see cref="RefillingBucket"/>).
/// </remarks>
public sealed class CodeAttempts(RulesMfaDbContext database, TimeProvider clock, AttemptLimits? limits = null)
{
    private readonly RefillingBucket bucket = Bucket(database, clock, limits ?? new AttemptLimits());

    /// <summary>The bucket of a user's codes: <c>code:{userId}</c>, the same for every code factor and the recovery code.</summary>
    public static string KeyFor(string userId) => $"code:{userId}";

    /// <summary>Takes one attempt from the user's bucket; false means too many attempts: refuse without checking the code.</summary>
    public async Task<bool> TryTakeAsync(string userId, CancellationToken cancellationToken) =>
        await bucket.TryTakeAsync(KeyFor(userId), cancellationToken) is null;

    /// <summary>Gives back the attempt taken for a code that turned out right; the bucket never exceeds its capacity.</summary>
    public Task RefundAsync(string userId, CancellationToken cancellationToken) => bucket.RefundAsync(KeyFor(userId), cancellationToken);

    /// <summary>How long until the user may try a code again; null when an attempt is available now.</summary>
    public Task<TimeSpan?> RetryAfterAsync(string userId, CancellationToken cancellationToken) => bucket.RetryAfterAsync(KeyFor(userId), cancellationToken);

    private static RefillingBucket Bucket(RulesMfaDbContext database, TimeProvider clock, AttemptLimits limits) =>
        new(database, clock, limits.BucketCapacity, limits.RefillInterval);
}
