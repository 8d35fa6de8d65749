using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RulesMfa.Host.Factors.Push;

/// <summary>The random tokens and ids of the push factor; tokens are stored only as their SHA-256.</summary>
internal static class PushTokens
{
    /// <summary>A new bearer token or ticket: 32 random bytes, base64url.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new public id such as <c>dev_…</c> or <c>tx_…</c>: 16 random bytes, base64url.</summary>
    public static string NewId(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The SHA-256 of a token, hex: what is stored and looked up (a unique index), so no token is ever compared.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Two digits to match, 00 to 99.</summary>
    public static string NewDigits() => RandomNumberGenerator.GetInt32(100).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
}
