namespace RulesMfa.Host.MfaApi;

/// <summary>
/// One <c>mfa_token</c>: the hash of the token (never the token), whose login it carries, until when, and whether the login
/// completed (then the token is useless). <see cref="Version"/> makes two requests with one token never overwrite each other.
/// </summary>
public sealed class MfaTokenRecord
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the token, hex.</summary>
    public required string TokenHash { get; set; }

    public required string TenantId { get; set; }

    public required string ClientId { get; set; }

    public required string UserId { get; set; }

    /// <summary>The <see cref="MfaApiLogin"/> as JSON.</summary>
    public required string LoginJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set once, by the grant that completed the login.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    public long Version { get; set; }
}
