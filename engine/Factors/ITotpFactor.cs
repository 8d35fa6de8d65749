namespace RulesMfa.Engine.Factors;

/// <summary>Checks a TOTP code against a user's key; what the host's challenge page depends on.</summary>
public interface ITotpFactor
{
    /// <summary>Checks <paramref name="code"/> against <paramref name="secret"/> at the current time.</summary>
    /// <param name="secret">The user's raw key (decrypted by the host).</param>
    /// <param name="code">What the user typed.</param>
    /// <param name="lastAcceptedStep">The step of the last code accepted for this user and key, or null if none was.</param>
    TotpVerification Verify(byte[] secret, string? code, long? lastAcceptedStep);
}
