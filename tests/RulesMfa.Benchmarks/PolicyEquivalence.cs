using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Benchmarks;

/// <summary>
/// Checks that the ten-rule pipeline and the hand-written C# policy decide alike, so that comparing their
/// speed is fair: the benchmark login, and variants of it that take the other branches of the policy.
/// </summary>
public static class PolicyEquivalence
{
    private static readonly (string Name, DateTimeOffset Now, Action<JsonObject> Change)[] Variants =
    [
        ("trusted network, known country, no step-up; opted in", TypicalLogin.Now, login =>
        {
            Request(login)["ip"] = "10.20.30.40";
            Geo(login)["country_code"] = "DE";
            Query(login).Remove("acr_values");
        }),
        ("trusted network, known country, no step-up, not opted in", TypicalLogin.Now, login =>
        {
            Request(login)["ip"] = "203.0.113.41";
            Geo(login)["country_code"] = "US";
            Query(login).Remove("acr_values");
            login["user"]!["user_metadata"]!["use_mfa"] = false;
        }),
        ("untrusted, MFA done an hour ago, known country", TypicalLogin.Now, login =>
        {
            Geo(login)["country_code"] = "NL";
            Query(login)["acr_values"] = "";
            login["context"]!["authentication"]!["methods"]![1]!["timestamp"] = TypicalLogin.Now.AddHours(-1).ToUnixTimeMilliseconds();
        }),
        ("untrusted, MFA done an hour ago, low-confidence risk", TypicalLogin.Now, login =>
        {
            Geo(login)["country_code"] = "NL";
            Query(login)["acr_values"] = "";
            login["context"]!["authentication"]!["methods"]![1]!["timestamp"] = TypicalLogin.Now.AddHours(-1).ToUnixTimeMilliseconds();
            login["context"]!["riskAssessment"]!["confidence"] = "low";
        }),
        ("non-admin on a listed client from outside, known country", TypicalLogin.Now, login =>
        {
            login["user"]!["app_metadata"]!["roles"] = new JsonArray("employee");
            Geo(login)["country_code"] = "US";
            Query(login).Remove("acr_values");
        }),
        ("blocklisted IP", TypicalLogin.Now, login => Request(login)["ip"] = "198.51.100.23"),
        ("unverified email", TypicalLogin.Now, login => login["user"]!["email_verified"] = false),
        ("payroll on a Saturday", new DateTimeOffset(2025, 3, 15, 11, 0, 0, TimeSpan.Zero), _ => { }),
        ("payroll at 19:00 on a weekday", new DateTimeOffset(2025, 3, 12, 19, 0, 0, TimeSpan.Zero), _ => { }),
    ];

    /// <summary>Throws unless both decide the benchmark login and every variant alike, and the benchmark login gets MFA.</summary>
    public static void Verify(IReadOnlyList<CompiledRule> tenRules)
    {
        var benchmark = Compare("benchmark login", tenRules, TypicalLogin.Now, TypicalLogin.Parse());
        if (benchmark != DecisionOutcome.Mfa)
        {
            throw new InvalidOperationException($"The benchmark login should end in MFA, not {benchmark}.");
        }

        var outcomes = new HashSet<DecisionOutcome> { benchmark };
        foreach (var (name, now, change) in Variants)
        {
            var login = TypicalLogin.Parse();
            change(login);
            outcomes.Add(Compare(name, tenRules, now, login));
        }

        if (outcomes.Count != 3)
        {
            throw new InvalidOperationException("The variants should reach all three outcomes.");
        }
    }

    /// <summary>Evaluates the login both ways; throws on any difference; returns the outcome.</summary>
    public static DecisionOutcome Compare(string name, IReadOnlyList<CompiledRule> tenRules, DateTimeOffset now, JsonObject login)
    {
        var clock = new FixedTimeProvider(now);
        var js = new RulePipeline(tenRules, new RulePipelineSettings { Configuration = TenRulePolicy.Configuration }, clock)
            .Evaluate(LoginContext.FromRulesView(login));
        var cs = new PlainCSharpPolicy(TenRulePolicy.Configuration, clock).Evaluate(LoginFacts.FromRulesView(login));

        var differences = Differences(js, cs).ToList();
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"The ten-rule pipeline and the C# policy disagree on '{name}': {string.Join("; ", differences)}. " +
                $"Pipeline decision: {MfaDecisionJson.Serialize(js)}");
        }

        return js.Outcome;
    }

    private static IEnumerable<string> Differences(MfaDecision js, PolicyDecision cs)
    {
        if (js.Outcome != cs.Outcome)
        {
            yield return $"outcome {js.Outcome} vs {cs.Outcome}";
            yield break;
        }

        if (js.Outcome == DecisionOutcome.Deny)
        {
            if (js.Error?.Code != DecisionError.Unauthorized || js.Error.Description != cs.DenyReason)
            {
                yield return $"deny '{js.Error?.Code}: {js.Error?.Description}' vs '{cs.DenyReason}'";
            }

            yield break;
        }

        if (js.Rules.FirstOrDefault(rule => rule.Status != RuleStatus.Ok) is { } failed)
        {
            yield return $"rule {failed.Id} ended {failed.Status}";
        }

        var provider = js.Multifactor?["provider"]?.GetValue<string>();
        if ((provider is null) != (cs.Mfa is null) || (provider is not null && provider != "any"))
        {
            yield return $"MFA provider {provider ?? "none"} vs {(cs.Mfa is null ? "none" : "any")}";
        }

        if (js.AllowRememberBrowser != cs.Mfa?.AllowRememberBrowser)
        {
            yield return $"allowRememberBrowser {js.AllowRememberBrowser} vs {cs.Mfa?.AllowRememberBrowser}";
        }

        var roles = (js.IdTokenClaims[TenRulePolicy.ClaimNamespace + "roles"] as JsonArray)?.Select(role => role?.GetValue<string>()).ToList();
        if (roles is null || cs.RolesClaim is null || !roles.SequenceEqual(cs.RolesClaim))
        {
            yield return "roles claim differs";
        }

        var stepUp = js.IdTokenClaims[TenRulePolicy.ClaimNamespace + "step_up"] is JsonValue value && value.GetValue<bool>();
        if (stepUp != cs.StepUpClaim)
        {
            yield return $"step_up claim {stepUp} vs {cs.StepUpClaim}";
        }

        var pendingCountry = js.AppMetadata["pending_country"]?.GetValue<string>();
        if (pendingCountry != cs.PendingCountry)
        {
            yield return $"pending_country {pendingCountry} vs {cs.PendingCountry}";
        }
    }

    private static JsonObject Request(JsonObject login) => login["context"]!["request"]!.AsObject();

    private static JsonObject Query(JsonObject login) => Request(login)["query"]!.AsObject();

    private static JsonObject Geo(JsonObject login) => Request(login)["geoip"]!.AsObject();
}
