using OtpNet;

namespace RulesMfa.Engine.Factors;

/// <summary>
/// Time-based one-time passwords (RFC 6238) through Otp.NET: HMAC-SHA1, 6 digits, 30-second steps, the only parameters
/// authenticator apps reliably honour.
/// </summary>
/// <remarks>
/// <para>
/// A code is accepted for the current step and one step either side (<see cref="VerificationWindow.RfcSpecifiedNetworkDelay"/>,
/// RFC 6238 §5.2), and only when its step is newer than the last accepted one (RFC 6238 §5.2: a code must not be accepted twice).
/// </para>
/// <para>
/// This class does not store anything. Two concurrent requests with the same code can both get
/// <see cref="TotpVerification.Succeeded"/>, so the host must record the step with an atomic compare-and-set, for instance
/// <c>UPDATE totp_factors SET last_step = @step WHERE id = @id AND (last_step IS NULL OR last_step &lt; @step)</c>, and treat
/// zero rows updated as <see cref="TotpVerification.Replayed"/>. Counting wrong codes (lockout) is also the host's job.
/// </para>
/// </remarks>
public sealed class TotpFactor : ITotpFactor
{
    /// <summary>The number of digits in a code.</summary>
    public const int Digits = 6;

    /// <summary>The length of a step, in seconds.</summary>
    public const int StepSeconds = 30;

    private readonly TimeProvider timeProvider;
    private readonly int digits;

    /// <summary>Creates the factor with the clock that decides the current step.</summary>
    public TotpFactor(TimeProvider timeProvider)
        : this(timeProvider, Digits)
    {
    }

    /// <summary>Creates the factor with another code length: only for checking the 8-digit RFC 6238 test vectors.</summary>
    internal TotpFactor(TimeProvider timeProvider, int digits)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(digits, 6);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 8);
        this.timeProvider = timeProvider;
        this.digits = digits;
    }

    /// <summary>
    /// The <c>otpauth://totp/...</c> URI an authenticator app scans (as a QR code) to enrol <paramref name="secret"/>.
    /// </summary>
    /// <param name="secret">The new key.</param>
    /// <param name="accountName">What the app shows under the issuer, usually the user's email.</param>
    /// <param name="issuer">The service name the app shows, for instance the tenant's display name.</param>
    /// <exception cref="ArgumentException">A name is empty or contains a colon, which the Key URI format forbids.</exception>
    public static string EnrollmentUri(TotpSecret secret, string accountName, string issuer)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        if (accountName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("The account name cannot contain a colon.", nameof(accountName));
        }

        if (issuer.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("The issuer cannot contain a colon.", nameof(issuer));
        }

        return new OtpUri(OtpType.Totp, secret.Base32, accountName, issuer, OtpHashMode.Sha1, Digits, StepSeconds).ToString();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Leading and trailing white space and the spaces apps show inside a code (<c>123 456</c>) are ignored; anything else
    /// that is not exactly six ASCII digits is <see cref="TotpVerification.Invalid"/> without computing any code.
    /// A <see cref="TotpVerification.Succeeded"/> result is only valid once the host has stored its step atomically (see the class remarks).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null or empty (a storage fault, not a user error).</exception>
    public TotpVerification Verify(byte[] secret, string? code, long? lastAcceptedStep)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length == 0)
        {
            throw new ArgumentException("A TOTP key cannot be empty.", nameof(secret));
        }

        if (Normalize(code) is not { } candidate)
        {
            return new TotpVerification.Invalid();
        }

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, digits);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        if (!totp.VerifyTotp(now, candidate, out var step, VerificationWindow.RfcSpecifiedNetworkDelay))
        {
            return new TotpVerification.Invalid();
        }

        return lastAcceptedStep is null || step > lastAcceptedStep.Value
            ? new TotpVerification.Succeeded(step)
            : new TotpVerification.Replayed();
    }

    private string? Normalize(string? code)
    {
        if (code is null)
        {
            return null;
        }

        var trimmed = code.AsSpan().Trim();
        if (trimmed.Length > digits * 2)
        {
            return null;
        }

        Span<char> buffer = stackalloc char[digits];
        var length = 0;
        foreach (var c in trimmed)
        {
            if (c == ' ')
            {
                continue;
            }

            if (!char.IsAsciiDigit(c) || length == digits)
            {
                return null;
            }

            buffer[length++] = c;
        }

        return length == digits ? new string(buffer) : null;
    }
}
