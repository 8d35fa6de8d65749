using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Engine.Evaluation;

/// <summary>Turns what the rules asked for, and how the pipeline stopped, into the decision.</summary>
internal static class MfaDecisionBuilder
{
    public static MfaDecision Build(RuleOutputs outputs, IReadOnlyList<RuleTrace> traces, RuleRun? stop, FailMode failMode)
    {
        var multifactor = outputs.Multifactor;
        IReadOnlyList<string> factors = outputs.Factors.ToList();
        var enroll = outputs.Enroll;
        var factorOptions = outputs.FactorOptions.Count > 0 ? outputs.FactorOptions : null;
        var error = stop?.RuleError;

        if (stop is { IsFault: true, FaultDescription: var fault })
        {
            if (failMode == FailMode.Deny)
            {
                error = new DecisionError(DecisionError.AccessDenied, fault!);
            }
            else
            {
                multifactor = new JsonObject { ["provider"] = "any", ["allowRememberBrowser"] = false };
                factors = [];
                enroll = false;
                factorOptions = null;
            }
        }

        return new MfaDecision(
            Outcome: OutcomeOf(error, multifactor, factors),
            Multifactor: multifactor,
            Factors: factors,
            Enroll: enroll,
            AllowRememberBrowser: multifactor?["allowRememberBrowser"] is JsonValue remember && remember.TryGetValue<bool>(out var allow) ? allow : null,
            Error: error,
            IdTokenClaims: outputs.IdTokenClaims,
            AccessTokenClaims: outputs.AccessTokenClaims,
            AppMetadata: outputs.AppMetadata,
            UserMetadata: outputs.UserMetadata,
            Redirect: outputs.Redirect,
            Logs: outputs.Logs.ToList(),
            Rules: traces)
        {
            FactorOptions = factorOptions,
        };
    }

    private static DecisionOutcome OutcomeOf(DecisionError? error, JsonObject? multifactor, IReadOnlyList<string> factors)
    {
        if (error is not null)
        {
            return DecisionOutcome.Deny;
        }

        var provider = multifactor?["provider"]?.GetValue<string>();
        return (provider is not null && provider != "none") || factors.Count > 0 ? DecisionOutcome.Mfa : DecisionOutcome.Allow;
    }
}
