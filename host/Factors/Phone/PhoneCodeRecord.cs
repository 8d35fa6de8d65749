namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// One code sent to a user's phone: only its salted hash, the channel it went by, and when. <see cref="Sequence"/> counts
/// the user's sends, unique per user: of two sends racing for the same number one fails and decides again, so the
/// hourly limits hold across requests and hosts without a lock.
/// </summary>
public sealed class PhoneCodeRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>1 for the user's first send, then one more each time; unique with <see cref="UserId"/>.</summary>
    public long Sequence { get; set; }

    /// <summary>SHA-256 of the salt and the code (<c>EmailCode.Hash</c>); the code itself is never stored.</summary>
    public required string Hash { get; set; }

    public PhoneChannel Channel { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set, atomically, when the code was used.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
