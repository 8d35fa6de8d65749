using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Sends a login the policy sent to MFA to the MFA pages: the pending <see cref="MfaTransaction"/> in the MFA cookie,
/// then a redirect to the challenge (or, for a user with no factor yet, the enrollment; or, when none of the factors the
/// rules allow can be offered, the page that says so with a way back). Logins and the admin console's sign-in start MFA here.
/// </summary>
public sealed class MfaStart(ILogger<MfaStart> logger)
{
    /// <summary>The largest options of one factor kept for the MFA pages: 512 bytes of JSON; larger ones are left out.</summary>
    public const int MaxFactorOptionsBytes = 512;

    /// <param name="requestHash">What the transaction belongs to (the authorization request's hash, or the console).</param>
    /// <param name="returnUrl">Where the pages go once MFA is done (a local URL).</param>
    /// <returns>The redirect; null when <paramref name="plan"/> asks for no MFA (none, or a deny for another reason).</returns>
    public async Task<IResult?> BeginAsync(
        HttpContext http, UserRecord user, string requestHash, FactorPlan plan, MfaDecision decision, bool rememberBrowserAllowed, string? clientId,
        string returnUrl)
    {
        var pending = TransactionFor(user, requestHash, plan, decision, rememberBrowserAllowed, clientId);
        if (pending is null)
        {
            return null;
        }

        await http.SignInAsync(SessionSchemes.Mfa, pending.ToPrincipal());
        if (pending.Refusal is not null)
        {
            logger.FactorsUnavailable(user.Id, user.TenantId, string.Join(",", pending.Factors));
            return Results.Redirect($"{http.Request.PathBase}/mfa/unavailable?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        var step = pending.Enroll ? "enroll" : pending.ThenEnroll.Count > 0 ? $"pass a challenge, then enroll {string.Join(",", pending.ThenEnroll)}," : "pass a challenge";
        logger.MfaRequired(user.Id, user.TenantId, step, string.Join(",", pending.Factors), clientId);
        RulesMfaMetrics.MfaRequired(user.TenantId, pending.Enroll, pending.Factors);
        return Results.Redirect($"{http.Request.PathBase}/mfa{(pending.Enroll ? "/enroll" : "")}?returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    /// <summary>
    /// The pending MFA of <paramref name="plan"/>: what to challenge or enroll, or, when none of the factors the rules
    /// allow can be offered, the refusal; null when the plan asks for no MFA. The MFA API keeps the same transaction.
    /// </summary>
    public static MfaTransaction? TransactionFor(
        UserRecord user, string requestHash, FactorPlan plan, MfaDecision decision, bool rememberBrowserAllowed, string? clientId)
    {
        var pending = plan switch
        {
            FactorPlan.Challenge challenge => new MfaTransaction(user.Id, requestHash, Enroll: false, challenge.Factors, challenge.RecoveryCodeAllowed,
                rememberBrowserAllowed && challenge.ThenEnroll.Count == 0, decision.IdTokenClaims, decision.AccessTokenClaims, null)
            {
                ThenEnroll = challenge.ThenEnroll,
            },
            FactorPlan.Enroll enrollment => new MfaTransaction(user.Id, requestHash, Enroll: true, enrollment.Factors, RecoveryCodeAllowed: false,
                RememberBrowserAllowed: false, decision.IdTokenClaims, decision.AccessTokenClaims, null),
            FactorPlan.Deny { UnavailableFactors.Count: > 0 } unavailable => new MfaTransaction(user.Id, requestHash, Enroll: false, unavailable.UnavailableFactors,
                RecoveryCodeAllowed: false, RememberBrowserAllowed: false, decision.IdTokenClaims, decision.AccessTokenClaims, null)
            {
                Refusal = unavailable.Description,
            },
            _ => null,
        };
        return pending is null ? null : pending with
        {
            ClientId = clientId,
            FactorOptions = OptionsOf(decision, [.. pending.Factors, .. pending.ThenEnroll]),
            Multifactor = decision.Multifactor?.ToJsonString() is { Length: <= MaxMultifactorBytes } request ? request : null,
        };
    }

    /// <summary>
    /// The largest MFA request of the rules kept for the MFA pages: 1,024 characters of JSON (it travels in a cookie; a
    /// provider's options, such as Duo's keys, are a few hundred); a larger one is left out, and the tenant's settings apply.
    /// </summary>
    public const int MaxMultifactorBytes = 1_024;

    /// <summary>
    /// The options the rules gave the transaction's factors, each at most <see cref="MaxFactorOptionsBytes"/> of JSON (the
    /// transaction travels in a cookie; a factor's options are a few words such as <c>{"preferredMethod": "voice"}</c>).
    /// </summary>
    private static Dictionary<string, string> OptionsOf(MfaDecision decision, IReadOnlyList<string> factors) =>
        (decision.FactorOptions ?? []).Where(option => factors.Contains(option.Key) && option.Value is JsonObject)
            .Select(option => KeyValuePair.Create(option.Key, option.Value!.ToJsonString()))
            .Where(option => option.Value.Length <= MaxFactorOptionsBytes)
            .ToDictionary(StringComparer.Ordinal);
}
