namespace RulesMfa.Engine.Decisions;

/// <summary>
/// Claims only the provider sets; a rule that sets one, in any spelling, has it dropped and logged. Names are compared
/// ignoring case because claims are read back that way: .NET's <c>ClaimsIdentity.FindFirst</c> and <c>HasClaim</c> (so an
/// application's <c>HasClaim("amr", "mfa")</c> would accept a rule's <c>AMR</c>).
/// </summary>
public static class ReservedClaims
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "iss", "sub", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash", "c_hash", "jti",
    };

    /// <summary>
    /// The provider's private claims, which ride in its tokens and are read back when a code or a refresh token is
    /// redeemed: RulesMfa's own (<c>rulesmfa_mfa_at</c> says when the session did MFA, hence <c>acr</c> and whether a
    /// refresh may skip MFA) and OpenIddict's (<c>oi_scp</c>, the token's scopes).
    /// </summary>
    private static readonly string[] PrivatePrefixes = ["rulesmfa_", "oi_"];

    /// <summary>True for a claim name rules may not set.</summary>
    public static bool Contains(string claim) =>
        Names.Contains(claim) || PrivatePrefixes.Any(prefix => claim.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
