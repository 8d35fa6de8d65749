using System.Security.Cryptography;
using OtpNet;

namespace RulesMfa.Engine.Factors;

/// <summary>
/// A TOTP shared key: 20 bytes (160 bits, the HMAC-SHA1 block RFC 4226 recommends) from the operating system's CSPRNG.
/// </summary>
/// <remarks>
/// The host encrypts <see cref="GetBytes"/> at rest (Data Protection) and shows <see cref="Base32"/> only during enrollment.
/// <see cref="object.ToString"/> is not overridden, so the key never leaks into a log line by accident.
/// </remarks>
public sealed class TotpSecret
{
    /// <summary>The size of a generated key, in bytes.</summary>
    public const int SizeInBytes = 20;

    private readonly byte[] bytes;

    private TotpSecret(byte[] bytes) => this.bytes = bytes;

    /// <summary>The key in RFC 4648 Base32 (Otp.NET's encoding), as authenticator apps take it for manual entry.</summary>
    public string Base32 => Base32Encoding.ToString(bytes);

    /// <summary>Generates a new random key.</summary>
    public static TotpSecret Generate() => new(RandomNumberGenerator.GetBytes(SizeInBytes));

    /// <summary>Rebuilds a key the host stored (for instance a pending enrollment shown again).</summary>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public static TotpSecret FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("A TOTP key cannot be empty.", nameof(key));
        }

        return new TotpSecret(key.ToArray());
    }

    /// <summary>A copy of the raw key, to encrypt and store, or to pass to <see cref="ITotpFactor.Verify"/>.</summary>
    public byte[] GetBytes() => (byte[])bytes.Clone();
}
