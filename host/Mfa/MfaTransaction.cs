using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// A login waiting for MFA, kept in the short-lived MFA cookie: which authorization request it belongs to,
/// what the user must do now (challenge or enroll, with which factors), whether the rules let the browser be
/// remembered, the claims the rules decided, and whether MFA is done. The rules run once per login: after MFA the
/// stored decision is used, not a new one.
/// </summary>
/// <remarks>
/// A user who already has a factor and must add one passes a challenge first (<see cref="ThenEnroll"/>); the
/// transaction then moves to enrollment with <see cref="ProvedWith"/> set, and only an enrollment of this
/// transaction's own factors completes it.
/// </remarks>
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

    /// <summary>Factors to enroll once the challenge is passed; empty when passing the challenge completes MFA.</summary>
    public IReadOnlyList<string> ThenEnroll { get; init; } = [];

    /// <summary>The <c>amr</c> values of the challenge passed in this transaction before its enrollment, if any.</summary>
    public IReadOnlyList<string>? ProvedWith { get; init; }

    /// <summary>The factors' own state in this transaction (a pending authenticator app's enrollment), by key.</summary>
    public IReadOnlyDictionary<string, string> FactorState { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The options the rules gave this transaction's factors (<c>challengeWith({type: 'phone', options: {...}})</c>), as
    /// JSON by factor type; each factor reads its own (<see cref="Factors.FactorStep.RulesOptions"/>).
    /// </summary>
    public IReadOnlyDictionary<string, string> FactorOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>The enrollment is offered, not demanded (progressive enrollment after a passed challenge): the user may skip it.</summary>
    public bool Optional { get; init; }

    /// <summary>
    /// Set when the login cannot be completed because none of <see cref="Factors"/> can be offered: the description the
    /// application gets with <c>access_denied</c> once the user goes back to it.
    /// </summary>
    public string? Refusal { get; init; }

    /// <summary>The client being signed in to, for what a push device shows; null when not known.</summary>
    public string? ClientId { get; init; }

    public bool Completed => CompletedWith is not null;

    /// <summary>The enrollment step that follows a passed challenge: the factors to enroll, and how the user proved who they are.</summary>
    public MfaTransaction EnrollAfter(IReadOnlyList<string> amr) =>
        this with { Enroll = true, Factors = ThenEnroll, ThenEnroll = [], RecoveryCodeAllowed = false, ProvedWith = amr };

    public ClaimsPrincipal ToPrincipal() =>
        new(new ClaimsIdentity([new Claim(ClaimType, JsonSerializer.Serialize(this, Json))], Login.SessionSchemes.Mfa));

    public static MfaTransaction? From(ClaimsPrincipal? principal) =>
        principal?.FindFirst(ClaimType)?.Value is { } json ? JsonSerializer.Deserialize<MfaTransaction>(json, Json) : null;
}
