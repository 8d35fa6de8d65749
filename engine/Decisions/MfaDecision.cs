using System.Text.Json.Nodes;

namespace RulesMfa.Engine.Decisions;

/// <summary>
/// What the rules decided for one login: the outcome, the MFA request, claims, metadata patches, logs and
/// a per-rule trace. Read by the login pipeline, the console, the CLI and the decision log alike.
/// </summary>
/// <param name="Outcome">Deny when a rule denied, errored or faulted (deny fail mode); MFA when an MFA request stands; else allow.</param>
/// <param name="Multifactor">The final MFA request, <c>{provider, allowRememberBrowser, ...}</c>, or null.</param>
/// <param name="Factors">Allowed factor types in order, from Actions' challenges and enrollments; empty means any enabled.</param>
/// <param name="Enroll">An enrollment was demanded.</param>
/// <param name="AllowRememberBrowser">Whether a remembered browser may satisfy the MFA request; null when unset.</param>
/// <param name="Error">Why the login is denied, or null.</param>
/// <param name="IdTokenClaims">Custom ID token claims (reserved claims already dropped).</param>
/// <param name="AccessTokenClaims">Custom access token claims (reserved claims already dropped).</param>
/// <param name="AppMetadata">Top-level patch of the user's <c>app_metadata</c>; a null value removes the key.</param>
/// <param name="UserMetadata">Top-level patch of the user's <c>user_metadata</c>; a null value removes the key.</param>
/// <param name="Redirect">Where a rule asked to send the user, or null.</param>
/// <param name="Logs">Captured console output and engine notices, in order.</param>
/// <param name="Rules">One trace entry per rule, in run order.</param>
public sealed record MfaDecision(
    DecisionOutcome Outcome,
    JsonObject? Multifactor,
    IReadOnlyList<string> Factors,
    bool Enroll,
    bool? AllowRememberBrowser,
    DecisionError? Error,
    JsonObject IdTokenClaims,
    JsonObject AccessTokenClaims,
    JsonObject AppMetadata,
    JsonObject UserMetadata,
    string? Redirect,
    IReadOnlyList<RuleLogEntry> Logs,
    IReadOnlyList<RuleTrace> Rules)
{
    /// <summary>
    /// The options the rules gave the factors of their challenge or enrollment, by factor type, as
    /// <c>{"phone": {"preferredMethod": "voice"}}</c>; null (and left out of the JSON) when they gave none.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? FactorOptions { get; init; }

    /// <summary>The decision for a login whose rules did not run (the server could not run them now): a deny with <paramref name="error"/>.</summary>
    public static MfaDecision NotEvaluated(DecisionError error) =>
        new(DecisionOutcome.Deny, null, [], false, null, error, [], [], [], [], null, [], []);
}
