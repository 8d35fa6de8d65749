namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>A tenant's WebAuthn settings (<c>webAuthn</c> in the tenant settings).</summary>
public sealed class WebAuthnSettings
{
    /// <summary>
    /// Whether a security key must also verify its user (a PIN or a fingerprint on the key): <c>discouraged</c> (never
    /// asked, Auth0's default), <c>preferred</c> (when the key can) or <c>required</c> (keys that cannot are refused).
    /// Default <c>discouraged</c>. Device biometrics always verify the user.
    /// </summary>
    public WebAuthnUserVerification UserVerification { get; set; } = WebAuthnUserVerification.Discouraged;
}
