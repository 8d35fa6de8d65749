namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>
/// A user's WebAuthn credential: a security key or a device's biometrics, with the public key, the signature counter
/// last seen (a counter that goes back is a cloned authenticator) and the owner's name for it.
/// </summary>
public sealed class WebAuthnCredentialRecord
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The factor type: <c>webauthn-roaming</c> or <c>webauthn-platform</c>.</summary>
    public required string Type { get; set; }

    /// <summary>The credential id the authenticator gave; unique across every user and tenant.</summary>
    public required byte[] CredentialId { get; set; }

    public required byte[] PublicKey { get; set; }

    /// <summary>The newest signature counter accepted; updated atomically with each use.</summary>
    public long SignCount { get; set; }

    /// <summary>The name the owner gave it ("Blue key").</summary>
    public required string Name { get; set; }

    /// <summary>For device biometrics: the kind of device it was added on (one per kind); empty for a security key.</summary>
    public string DeviceKind { get; set; } = "";

    /// <summary>The transports the browser reported, space-separated (<c>usb nfc</c>), offered back at sign-in.</summary>
    public string Transports { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
