namespace RulesMfa.Host.Storage;

/// <summary>
/// A browser a user chose to remember after MFA: the cookie holds a random token, the database its hash.
/// Valid 30 days from creation, lapses after 7 idle days, and stops working once revoked.
/// </summary>
public sealed class RememberedBrowserRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>SHA-256 of the cookie's token (hex).</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastUsedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
