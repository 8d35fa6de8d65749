using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// A login waiting for MFA, kept in the short-lived MFA cookie: which authorization request it belongs to,
/// what the user must do (challenge or enroll, with which factors), whether the rules let the browser be
/// remembered, the claims the rules decided, and
/// whether MFA is done. The rules run once per login: after MFA the stored decision is used, not a new one.
/// </summary>
public sealed record MfaTransaction(
    string UserId,
    string RequestHash,
    bool Enroll,
    IReadOnlyList<string> Factors,
    bool RecoveryCodeAllowed,
    bool RememberBrowserAllowed,
    JsonObject IdTokenClaims,
    JsonObject AccessTokenClaims,
    string? CompletedWith)
{
    private const string ClaimType = "mfa_transaction";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool Completed => CompletedWith is not null;

    public ClaimsPrincipal ToPrincipal() =>
        new(new ClaimsIdentity([new Claim(ClaimType, JsonSerializer.Serialize(this, Json))], Login.SessionSchemes.Mfa));

    public static MfaTransaction? From(ClaimsPrincipal? principal) =>
        principal?.FindFirst(ClaimType)?.Value is { } json ? JsonSerializer.Deserialize<MfaTransaction>(json, Json) : null;
}
