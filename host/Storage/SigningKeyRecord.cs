namespace RulesMfa.Host.Storage;

/// <summary>A key of the token server, encrypted with Data Protection and shared by every host.</summary>
public sealed class SigningKeyRecord
{
    public int Id { get; set; }

    /// <summary><c>signing</c> (RSA, PKCS#8 PEM) or <c>encryption</c> (AES-256, base64).</summary>
    public required string Purpose { get; set; }

    public required string ProtectedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
