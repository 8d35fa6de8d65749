namespace RulesMfa.Engine.Decisions;

/// <summary>Claims only the provider sets; a rule that sets one has it dropped and logged.</summary>
public static class ReservedClaims
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "iss", "sub", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash", "c_hash", "jti",
    };

    /// <summary>True for a claim name rules may not set.</summary>
    public static bool Contains(string claim) => Names.Contains(claim);
}
