using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace RulesMfa.Host.Factors.Push;

/// <summary>A device's RSA public key: checked when it enrolls, turned into the key its answers are verified with.</summary>
internal static class PushDeviceKey
{
    /// <summary>The smallest modulus accepted: 2048 bits.</summary>
    public const int MinimumBits = 2048;

    /// <summary>The largest modulus accepted: 4096 bits (a larger key only costs the server time).</summary>
    public const int MaximumBits = 4096;

    /// <summary>What is wrong with the key, in words that name the field, or null when it can be used.</summary>
    public static string? ProblemWith(PushPublicKey? key)
    {
        if (key is null)
        {
            return "public_key is missing: send {kty: \"RSA\", use: \"sig\", alg: \"RS256\", n, e}";
        }

        if (key.Kty != "RSA" || key.Alg != SecurityAlgorithms.RsaSha256 || key.Use is not (null or "sig"))
        {
            return "public_key must be an RSA key for signatures with RS256 (kty \"RSA\", use \"sig\", alg \"RS256\")";
        }

        var modulus = Decode(key.N);
        var exponent = Decode(key.E);
        if (modulus is null || exponent is null || exponent.Length is 0 or > 4)
        {
            return "public_key.n and public_key.e must be base64url numbers";
        }

        var bits = modulus.SkipWhile(value => value == 0).Count() * 8;
        return bits is < MinimumBits or > MaximumBits ? $"public_key.n must be a modulus of {MinimumBits} to {MaximumBits} bits" : null;
    }

    /// <summary>The key of a stored JWK (<see cref="PushDeviceRecord.PublicKeyJson"/>).</summary>
    public static RsaSecurityKey ToSecurityKey(string publicKeyJson)
    {
        var key = JsonSerializer.Deserialize<PushPublicKey>(publicKeyJson)!;
        return new RsaSecurityKey(new RSAParameters { Modulus = Decode(key.N), Exponent = Decode(key.E) });
    }

    private static byte[]? Decode(string? value) =>
        !string.IsNullOrEmpty(value) && Base64Url.IsValid(value) ? Base64Url.DecodeFromChars(value) : null;
}
