using System.Text.Json;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Login;
using RulesMfa.Host.SandboxConsole.Replay;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>
/// Runs a draft pipeline on one recorded login's exact input and clock and compares the decision with the recorded one:
/// the outcome, the factors (and enrollment) of an MFA request, a redirect (which refuses the login here, whatever the
/// outcome), and the ID and access token claims. The draft sees
/// placeholders for secret values (<see cref="TenantConfiguration.Placeholder"/>) where the log holds <c>(secret NAME)</c>;
/// <paramref name="placeholders"/> turns the one into the other so that a secret alone never counts as a change.
/// </summary>
public sealed class BacktestComparer(RulePipeline pipeline, ReplayClock clock, SecretRedaction placeholders)
{
    /// <summary>The kind of change of a draft that asks for a redirect the login did not (<c>MfaPolicy</c> refuses such a login).</summary>
    public const string RedirectRefused = "redirect (refused)";

    /// <summary>The kind of change of a draft that no longer asks for the login's redirect.</summary>
    public const string RedirectRemoved = "redirect removed";

    public BacktestComparison Compare(DecisionRecord record)
    {
        LoginInput input;
        try
        {
            input = LoginInput.Of(LoginContext.FromRulesView(RecordedLogins.Stored(record.InputJson)));
        }
        catch (LoginContextFormatException)
        {
            return new BacktestComparison(Skipped: true, null);
        }

        clock.Now = record.At;
        var decision = input.Unreadable is null ? pipeline.Evaluate(input.Login) : pipeline.FailClosed(input.Unreadable);
        var recorded = RecordedLogins.Stored(record.DecisionJson) as JsonObject ?? [];
        var recordedOutcome = Text(recorded["outcome"]) ?? "unknown";
        var draftOutcome = JsonNamingPolicy.CamelCase.ConvertName(decision.Outcome.ToString());
        var recordedFactors = (recorded["factors"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
        var kinds = new List<string>();
        if (recordedOutcome != draftOutcome)
        {
            kinds.Add($"{recordedOutcome} → {draftOutcome}");
        }
        else if (draftOutcome == "mfa" && (!recordedFactors.SequenceEqual(decision.Factors) || (recorded["enroll"] as JsonValue)?.GetValue<bool>() != decision.Enroll))
        {
            kinds.Add("factors");
        }

        var draftRedirect = decision.Redirect is null ? null : placeholders.Redact(decision.Redirect);
        if (Text(recorded["redirect"]) != draftRedirect)
        {
            kinds.Add(draftRedirect is null ? RedirectRemoved : RedirectRefused);
        }

        if (!JsonNode.DeepEquals(placeholders.Redact(decision.IdTokenClaims), recorded["idTokenClaims"] ?? new JsonObject())
            || !JsonNode.DeepEquals(placeholders.Redact(decision.AccessTokenClaims), recorded["accessTokenClaims"] ?? new JsonObject()))
        {
            kinds.Add("claims");
        }

        return kinds.Count == 0
            ? new BacktestComparison(Skipped: false, null)
            : new BacktestComparison(Skipped: false, new BacktestChange(record.Id, record.At, record.UserId, record.ClientId, recordedOutcome, draftOutcome, kinds,
                ChangedRules(recorded["rules"] as JsonArray ?? [], decision.Rules), recordedFactors, decision.Factors));
    }

    /// <summary>The draft's rules that ran and are not the version the login ran (new or edited), and the login's rules the draft no longer has.</summary>
    private static List<string> ChangedRules(JsonArray recordedRules, IReadOnlyList<RuleTrace> draftRules)
    {
        var recordedVersions = recordedRules.OfType<JsonObject>()
            .Select(rule => (Id: Text(rule["id"]), Hash: Text(rule["versionHash"]))).Where(rule => rule.Id is not null)
            .GroupBy(rule => rule.Id!).ToDictionary(group => group.Key, group => group.First().Hash, StringComparer.Ordinal);
        var changed = draftRules.Where(rule => rule.Status != RuleStatus.Skipped && recordedVersions.GetValueOrDefault(rule.Id) != rule.VersionHash)
            .Select(rule => rule.Id).ToList();
        changed.AddRange(recordedVersions.Keys.Where(id => draftRules.All(rule => rule.Id != id)).Select(id => $"{id} (removed)"));
        return changed;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
