namespace RulesMfa.Host.Storage;

/// <summary>
/// One attempt counter shared by every host: a token bucket (<see cref="FullAt"/>, <see cref="RefillingBucket"/>) for wrong
/// MFA codes or push requests (per user), or a failure counter with a growing block for passwords (per account and per IP).
/// <see cref="Version"/> makes concurrent read-then-write updates (<see cref="ThrottleUpdates"/>) from several requests or
/// hosts fail and retry instead of overwriting each other.
/// </summary>
public sealed class ThrottleRecord
{
    /// <summary>What is counted, e.g. <c>code:{userId}</c> (every code factor and the recovery code of a user share it), <c>password-account:{tenant}:{email}</c>, <c>password-ip:{tenant}:{ip}</c>.</summary>
    public required string Key { get; set; }

    /// <summary>Consecutive failures (password counters).</summary>
    public int Failures { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>No attempt is accepted before this time.</summary>
    public DateTimeOffset? BlockedUntil { get; set; }

    public long Version { get; set; }

    /// <summary>
    /// A token bucket (<c>code:{userId}</c>, <c>push:{userId}</c>): when it is full again, in UTC ticks (0: full). Each token
    /// taken moves it one refill interval later (from now, if that is later); the bucket is empty while it is a whole capacity
    /// ahead of now. One number, so a token is taken by one conditional <c>UPDATE</c> (<see cref="RefillingBucket"/>).
    /// </summary>
    public long FullAt { get; set; }
}
