using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// Answers a grant whose login the policy sent to MFA as Auth0 does: 403 <c>mfa_required</c> with a new
/// <c>mfa_token</c> and <c>mfa_requirements</c> (what to <c>challenge</c> or <c>enroll</c>). A login none of whose factors
/// the API can offer is refused (<c>access_denied</c>), never let through.
/// </summary>
public sealed class MfaRequiredAnswer(MfaTokens tokens, MfaFactors factors, ILogger<MfaRequiredAnswer> logger)
{
    /// <returns>The answer; null when <paramref name="plan"/> asks for no MFA.</returns>
    public async Task<IResult?> BeginAsync(
        HttpContext http, UserRecord user, string clientId, FactorPlan plan, MfaDecision decision, LoginSession session, IReadOnlyList<string> scopes,
        string? audience)
    {
        // The API has no browser to remember.
        var transaction = MfaStart.TransactionFor(user, requestHash: clientId, plan, decision, rememberBrowserAllowed: false, clientId);
        if (transaction is null)
        {
            return null;
        }

        if (transaction.Refusal is { } refusal)
        {
            logger.FactorsUnavailable(user.Id, user.TenantId, string.Join(",", transaction.Factors));
            return MfaApiErrors.Forbidden(refusal);
        }

        var login = new MfaApiLogin(transaction, session, scopes, audience);
        if (Requirements(transaction) is not { } requirements)
        {
            var names = string.Join(", ", transaction.Factors.Select(factors.DisplayNameOf));
            logger.FactorsUnavailable(user.Id, user.TenantId, string.Join(",", transaction.Factors));
            return MfaApiErrors.Forbidden($"This sign-in needs {names}, which the MFA API does not offer; sign in through the hosted pages.");
        }

        var token = await tokens.IssueAsync(user.TenantId, clientId, login, http.RequestAborted);
        logger.MfaRequired(user.Id, user.TenantId, transaction.Enroll ? "enroll through the MFA API" : "pass a challenge through the MFA API",
            string.Join(",", transaction.Factors), clientId);
        RulesMfaMetrics.MfaRequired(user.TenantId, transaction.Enroll, transaction.Factors);
        return Answer(token, requirements);
    }

    /// <summary>The answer for an existing token whose login moved on (a challenge passed, an enrollment to follow).</summary>
    public IResult Again(string token, MfaTransaction transaction) => Requirements(transaction) is { } requirements
        ? Answer(token, requirements)
        : MfaApiErrors.Forbidden("This sign-in needs a factor the MFA API does not offer; sign in through the hosted pages.");

    /// <summary><c>{"challenge": [{"type": "otp"}, ...]}</c> or <c>{"enroll": [...]}</c>; null when the API offers none of the step's factors.</summary>
    private JsonObject? Requirements(MfaTransaction transaction)
    {
        var offered = MfaApiOffers.Of(transaction, factors);
        if (offered.Count == 0)
        {
            return null;
        }

        var types = new JsonArray(offered.Select(factor => (JsonNode?)new JsonObject { ["type"] = factor.Type }).ToArray());
        return new JsonObject { [transaction.Enroll ? "enroll" : "challenge"] = types };
    }

    private static IResult Answer(string token, JsonObject requirements) => Results.Json(new JsonObject
    {
        ["error"] = "mfa_required",
        ["error_description"] = MfaApiErrors.MfaRequired,
        ["mfa_token"] = token,
        ["mfa_requirements"] = requirements,
    }, statusCode: StatusCodes.Status403Forbidden);
}
