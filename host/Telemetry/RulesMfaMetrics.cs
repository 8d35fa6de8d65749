using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json.Serialization;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Host.Telemetry;

/// <summary>
/// RulesMfa's own instruments, one <see cref="Meter"/> named <see cref="MeterName"/>, recorded where the matching audit
/// events are written. Every instrument carries the tenant; labels hold ids and outcomes only. Recording costs an
/// interlocked add when <c>Metrics:Enabled</c> listens, and nothing more than a check when it does not.
/// </summary>
internal static class RulesMfaMetrics
{
    public const string MeterName = "RulesMfa";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Logins = Meter.CreateCounter<long>(
        "rulesmfa.logins", "{login}", "Password sign-ins (hosted page and password grant) by outcome: succeeded, failed, locked_out.");

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "rulesmfa.rule.decisions", "{decision}", "What the rules decided (allow, mfa, deny) per protocol: logins, refreshes, password grants.");

    private static readonly Histogram<double> EvaluationDuration = Meter.CreateHistogram(
        "rulesmfa.rule.evaluation.duration", "s", "Wall-clock time of one run of a tenant's rule pipeline.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.0002, 0.0003, 0.0004, 0.0005, 0.00075, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Counter<long> Faults = Meter.CreateCounter<long>(
        "rulesmfa.rule.faults", "{fault}", "Rules that faulted, by the limit they broke (timeout, statements, memory, ...) or error.");

    private static readonly Counter<long> Challenges = Meter.CreateCounter<long>(
        "rulesmfa.mfa.challenges", "{challenge}", "Logins sent to MFA, by step (challenge, enroll) and the first factor offered.");

    private static readonly Counter<long> Verifications = Meter.CreateCounter<long>(
        "rulesmfa.mfa.verifications", "{verification}", "MFA codes and assertions checked, by factor and result: succeeded, failed (a replayed code included).");

    private static readonly Counter<long> Lockouts = Meter.CreateCounter<long>(
        "rulesmfa.lockouts", "{lockout}", "Refusals by a limit: password (sign-ins blocked) or mfa_attempts (the wrong-code bucket ran out).");

    public static void LoginSucceeded(string tenant) => Logins.Add(1, Tenant(tenant), new("outcome", "succeeded"));

    public static void LoginFailed(string tenant) => Logins.Add(1, Tenant(tenant), new("outcome", "failed"));

    /// <summary>A password sign-in refused by the lockout: counted as a login and as a lockout.</summary>
    public static void LoginLockedOut(string tenant)
    {
        Logins.Add(1, Tenant(tenant), new("outcome", "locked_out"));
        Lockouts.Add(1, Tenant(tenant), new("kind", "password"));
    }

    public static void MfaAttemptsExhausted(string tenant) => Lockouts.Add(1, Tenant(tenant), new("kind", "mfa_attempts"));

    /// <summary>A decision of the rules, with how long they ran (from <see cref="Stopwatch.GetTimestamp"/>) and each faulted rule.</summary>
    public static void RulesDecided(string tenant, string protocol, MfaDecision decision, long startedAt)
    {
        EvaluationDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, Tenant(tenant));
        Decisions.Add(1, Tenant(tenant), new("protocol", protocol), new("outcome", OutcomeName(decision.Outcome)));
        foreach (var rule in decision.Rules)
        {
            if (rule.Status is RuleStatus.Error or RuleStatus.Timeout or RuleStatus.Limit)
            {
                Faults.Add(1, Tenant(tenant), new("limit", LimitName(rule)));
            }
        }
    }

    public static void MfaRequired(string tenant, bool enroll, IReadOnlyList<string> factors) =>
        Challenges.Add(1, Tenant(tenant), new("step", enroll ? "enroll" : "challenge"), new("factor", factors.Count > 0 ? factors[0] : "none"));

    public static void MfaSucceeded(string tenant, string factor) => Verification(tenant, factor, "succeeded");

    public static void MfaFailed(string tenant, string factor) => Verification(tenant, factor, "failed");

    private static void Verification(string tenant, string factor, string result) =>
        Verifications.Add(1, Tenant(tenant), new("factor", factor), new("result", result));

    /// <summary>A limit as the decision's trace names it (<c>array-size</c>, <c>promise-reactions</c>, ...).</summary>
    private static readonly Dictionary<SandboxLimit, string> LimitNames = Enum.GetValues<SandboxLimit>().ToDictionary(limit => limit,
        limit => typeof(SandboxLimit).GetField(limit.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? limit.ToString());

    private static KeyValuePair<string, object?> Tenant(string tenant) => new("tenant", tenant);

    private static string OutcomeName(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Allow => "allow",
        DecisionOutcome.Mfa => "mfa",
        _ => "deny",
    };

    private static string LimitName(RuleTrace rule) => rule.Status switch
    {
        RuleStatus.Timeout => "timeout",
        RuleStatus.Limit when rule.Limit is { } limit => LimitNames[limit],
        RuleStatus.Limit => "limit",
        _ => "error",
    };
}
