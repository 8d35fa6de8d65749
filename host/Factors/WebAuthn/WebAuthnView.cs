namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>What a WebAuthn part shows: the ceremony to answer (its id and options), and the user's credentials of this kind.</summary>
/// <param name="Ceremony"><c>create</c> or <c>get</c>.</param>
public sealed record WebAuthnView(string Ceremony, long CeremonyId, string OptionsJson, IReadOnlyList<WebAuthnCredentialSummary> Credentials);
