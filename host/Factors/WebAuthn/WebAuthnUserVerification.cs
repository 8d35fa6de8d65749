namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>WebAuthn's user verification requirement, as a tenant sets it for security keys.</summary>
public enum WebAuthnUserVerification
{
    Discouraged,
    Preferred,
    Required,
}
