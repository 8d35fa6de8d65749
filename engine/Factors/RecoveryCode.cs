using System.Security.Cryptography;
using System.Text;

namespace RulesMfa.Engine.Factors;

/// <summary>
/// The "lost your device" code, as Auth0 issues it: one active code of 24 characters per user, shown once, stored only as
/// a hash, and replaced by a new one each time it is used.
/// </summary>
/// <remarks>
/// <para>
/// Alphabet: the 31 upper-case letters and digits left after removing 0, O, I, 1 and L, which are easily confused when
/// read aloud or copied from paper. Entropy: 24 × log2(31) = 24 × 4.954 ≈ 118.9 bits, above the 112 bits from which
/// ASVS accepts a plain (unsalted, fast) hash, so SHA-256 is enough.
/// </para>
/// <para>
/// The host stores <see cref="Hash"/> and, when <see cref="Matches"/> is true, replaces the stored hash with the next code's
/// atomically (<c>UPDATE ... SET hash = @new WHERE id = @id AND hash = @old</c>; zero rows updated means the code was already
/// used), so a code works once even under concurrent requests. Wrong-code limits are the host's job.
/// </para>
/// </remarks>
public static class RecoveryCode
{
    /// <summary>The characters a code is made of: A–Z and 2–9 without 0, O, I, 1 and L (31 characters).</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>The number of characters in a code, separators not counted.</summary>
    public const int Length = 24;

    private const int GroupSize = 4;

    /// <summary>
    /// Generates a new code from the operating system's CSPRNG (unbiased choice of each character), formatted for display in
    /// groups of four: <c>XXXX-XXXX-XXXX-XXXX-XXXX-XXXX</c>.
    /// </summary>
    public static string Generate()
    {
        var code = RandomNumberGenerator.GetString(Alphabet, Length);
        return string.Join('-', code.Chunk(GroupSize).Select(group => new string(group)));
    }

    /// <summary>
    /// The canonical form of what a user typed: separators (dashes and white space) removed, upper case; null when the
    /// result is not <see cref="Length"/> characters of <see cref="Alphabet"/>.
    /// </summary>
    public static string? Normalize(string? code)
    {
        if (code is null || code.Length > Length * 3)
        {
            return null;
        }

        var builder = new StringBuilder(Length);
        foreach (var c in code)
        {
            if (c == '-' || char.IsWhiteSpace(c))
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal) || builder.Length == Length)
            {
                return null;
            }

            builder.Append(upper);
        }

        return builder.Length == Length ? builder.ToString() : null;
    }

    /// <summary>The value to store: SHA-256 of the normalised code, as 64 lower-case hexadecimal characters.</summary>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not a well-formed recovery code.</exception>
    public static string Hash(string code) =>
        StoredHash.Of(Normalize(code) ?? throw new ArgumentException("Not a well-formed recovery code.", nameof(code)));

    /// <summary>
    /// True when <paramref name="code"/>, as the user typed it, is the code whose <see cref="Hash"/> is
    /// <paramref name="storedHash"/>; compared in constant time. False for a malformed code or stored hash.
    /// </summary>
    public static bool Matches(string? code, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        return Normalize(code) is { } normalized && StoredHash.Matches(normalized, storedHash);
    }
}
