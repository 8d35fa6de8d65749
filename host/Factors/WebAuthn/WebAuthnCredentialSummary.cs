namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>A credential as its owner sees it listed: the name they gave it, when it was added and last used.</summary>
public sealed record WebAuthnCredentialSummary(string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);
