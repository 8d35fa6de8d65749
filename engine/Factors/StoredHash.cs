using System.Security.Cryptography;
using System.Text;

namespace RulesMfa.Engine.Factors;

/// <summary>How single-use codes are stored: SHA-256 as 64 lower-case hex characters, compared in constant time.</summary>
internal static class StoredHash
{
    public static string Of(string value) => Convert.ToHexStringLower(Bytes(value));

    /// <summary>False for a stored hash that is not 64 hex characters; otherwise a constant-time comparison.</summary>
    public static bool Matches(string value, string storedHash)
    {
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        return storedHash.Length == SHA256.HashSizeInBytes * 2
            && Convert.FromHexString(storedHash, expected, out _, out _) == System.Buffers.OperationStatus.Done
            && CryptographicOperations.FixedTimeEquals(Bytes(value), expected);
    }

    private static byte[] Bytes(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
