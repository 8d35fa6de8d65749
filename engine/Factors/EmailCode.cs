using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RulesMfa.Engine.Factors;

/// <summary>
/// The one-time code sent by email, as Auth0 sends it: six digits, valid 5 minutes, single use, stored only as a hash
/// salted with the user's id.
/// </summary>
/// <remarks>
/// <para>
/// Six digits are only 10^6 values, about 20 bits: any hash of them can be reversed by trying them all, salted or not.
/// The salt (the user's id) only stops one precomputed table from serving every user. What stops guessing is elsewhere,
/// in the host: a code lives 5 minutes, works once, only the latest one sent to a user counts, and wrong codes draw from
/// the user's attempt bucket (10, one back every 6 minutes), so an attacker gets about 10 guesses per code: a chance of
/// about 1 in 100,000.
/// </para>
/// <para>
/// The host stores <see cref="Hash"/> and, when <see cref="Matches"/> is true, marks the code used atomically
/// (<c>UPDATE ... SET used_at = @now WHERE id = @id AND used_at IS NULL</c>; zero rows updated means another request used
/// it first), so a code works once even under concurrent requests.
/// </para>
/// </remarks>
public static class EmailCode
{
    /// <summary>The number of digits in a code.</summary>
    public const int Length = 6;

    private const int Values = 1_000_000;

    // Longer input is not worth scanning: no amount of white space makes it a code.
    private const int MaxInputLength = 64;

    /// <summary>
    /// Generates a new code from the operating system's CSPRNG: a uniform choice among the 10^6 values (no modulo bias),
    /// written with leading zeros, for instance <c>004217</c>.
    /// </summary>
    public static string Generate() =>
        RandomNumberGenerator.GetInt32(Values).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>
    /// The canonical form of what a user typed: white space removed (around and inside, as in <c>123 456</c>); null
    /// unless the result is exactly <see cref="Length"/> ASCII digits.
    /// </summary>
    public static string? Normalize(string? code)
    {
        if (code is null || code.Length > MaxInputLength)
        {
            return null;
        }

        Span<char> digits = stackalloc char[Length];
        var count = 0;
        foreach (var c in code)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (!char.IsAsciiDigit(c) || count == Length)
            {
                return null;
            }

            digits[count++] = c;
        }

        return count == Length ? new string(digits) : null;
    }

    /// <summary>
    /// The value to store: SHA-256 of <c>userId + ":" + code</c> (UTF-8, code normalised), as 64 lower-case hexadecimal
    /// characters. The user id is the salt: the same code of two users hashes differently.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not a well-formed code.</exception>
    public static string Hash(string code, string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var normalized = Normalize(code) ?? throw new ArgumentException("Not a well-formed email code.", nameof(code));
        return StoredHash.Of(userId + ":" + normalized);
    }

    /// <summary>
    /// True when <paramref name="code"/>, as the user typed it, is the code of <paramref name="userId"/> whose
    /// <see cref="Hash"/> is <paramref name="storedHash"/>; compared in constant time. False for a malformed code or
    /// stored hash.
    /// </summary>
    public static bool Matches(string? code, string userId, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(storedHash);
        return Normalize(code) is { } normalized && StoredHash.Matches(userId + ":" + normalized, storedHash);
    }
}
