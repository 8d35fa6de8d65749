namespace RulesMfa.Host.Storage;

/// <summary>
/// A one-time code sent by email, stored as a hash: valid 5 minutes, single use, and only the latest one
/// sent to a user counts. The rows also count sends for the hourly limit.
/// </summary>
public sealed class EmailCodeRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set when used, or when a newer code replaced it.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
