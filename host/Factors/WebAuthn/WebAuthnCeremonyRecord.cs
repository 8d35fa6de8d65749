namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>
/// A WebAuthn ceremony the server started (the options sent to the browser, with their challenge): taken, and so deleted,
/// by the first answer, and refused after <see cref="ExpiresAt"/>. In the database, so any host can check it, once.
/// </summary>
public sealed class WebAuthnCeremonyRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>What it is for: <c>create:{type}</c> or <c>get:{type}</c>.</summary>
    public required string Purpose { get; set; }

    /// <summary>The options as sent, for the library to check the answer against.</summary>
    public required string OptionsJson { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
