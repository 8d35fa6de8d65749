namespace RulesMfa.Host.Storage;

/// <summary>A user's recovery code, stored as a hash; used once, atomically (<see cref="UsedAt"/> set from null).</summary>
public sealed class RecoveryCodeRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
