using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jint.Native;
using Jint.Runtime;
using Microsoft.IdentityModel.Tokens;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>The key of a jwt call: a shared secret for HS*, a PEM private key, public key or certificate for RS*.</summary>
internal static class JwtKeys
{
    public const int MaxPemLength = 16 * 1024;

    /// <summary>The smallest HMAC secret .NET's JWT library signs or verifies with (256 bits).</summary>
    public const int MinSecretBytes = 32;

    /// <summary>Whether verify should expect an HMAC algorithm: the key is not a PEM text.</summary>
    public static bool IsSecret(JsValue key) => !key.IsString() || !key.AsString().Contains("-----BEGIN", StringComparison.Ordinal);

    public static SecurityKey For(JintEngine engine, string algorithm, JsValue key, bool signing)
    {
        // jsonwebtoken makes a key object of the key; neither text nor binary data, it is no key material at all. Of
        // Node's binary kinds a rule reaches only a Buffer (a Uint8Array) and its ArrayBuffer (buffer.buffer); the
        // other typed arrays and DataView are not in the sandbox.
        if (key is JsArrayBuffer)
        {
            key = engine.Construct(engine.Intrinsics.Uint8Array, key);
        }

        if (!key.IsString() && !NodeBinary.IsBinary(key))
        {
            throw signing ? JwtErrors.Create(engine, "Error", "secretOrPrivateKey is not valid key material")
                : JwtErrors.Create(engine, "JsonWebTokenError", "secretOrPublicKey is not valid key material");
        }

        if (algorithm.StartsWith("HS", StringComparison.Ordinal))
        {
            var secret = NodeBinary.Bytes(engine, key, NodeBinary.For(engine).MaxBytes);
            // An RSA key (text or Buffer) as an HMAC secret would let anyone who has the public key forge tokens (CVE-2022-23541).
            if (PemEncoding.TryFind(System.Text.Encoding.Latin1.GetString(secret), out _))
            {
                throw JwtErrors.Create(engine, "JsonWebTokenError", $"{(signing ? "secretOrPrivateKey" : "secretOrPublicKey")} must be a symmetric key when using {algorithm}");
            }

            return secret.Length >= MinSecretBytes ? new SymmetricSecurityKey(secret)
                : throw JwtErrors.Create(engine, "JsonWebTokenError", $"secretOrPublicKey must be at least {MinSecretBytes} bytes for {algorithm} in rules");
        }

        if (!key.IsString() || key.AsString().Length > MaxPemLength)
        {
            throw JwtErrors.Create(engine, "JsonWebTokenError", $"{(signing ? "secretOrPrivateKey" : "secretOrPublicKey")} must be a PEM-encoded RSA key for {algorithm}");
        }

        try
        {
            var pem = key.AsString();
            if (!signing && pem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
            {
                using var certificate = X509Certificate2.CreateFromPem(pem);
                using var publicKey = certificate.GetRSAPublicKey() ?? throw new CryptographicException("not an RSA certificate");
                return new RsaSecurityKey(publicKey.ExportParameters(false));
            }

            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            var hasPrivate = pem.Contains("PRIVATE KEY", StringComparison.Ordinal);
            if (signing && !hasPrivate)
            {
                throw JwtErrors.Create(engine, "JsonWebTokenError", "secretOrPrivateKey must be an asymmetric private key when using " + algorithm);
            }

            return new RsaSecurityKey(rsa.ExportParameters(signing));
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw JwtErrors.Create(engine, "JsonWebTokenError", "the key is not a PEM-encoded RSA key");
        }
    }
}
