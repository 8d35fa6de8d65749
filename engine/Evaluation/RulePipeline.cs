using System.Diagnostics;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Engine.Sandbox.Modules;
using RulesMfa.Engine.Sandbox.Pooling;

namespace RulesMfa.Engine.Evaluation;

/// <summary>
/// A tenant's rules, built once and evaluated on every login: all Rules in order, then all Actions in
/// order, in a sandbox of the login's own: an engine of the rule set's pool, put back as prepared after the login
/// (or discarded), or a fresh engine when <see cref="RulePipelineSettings.FreshEnginePerLogin"/> says so. The first
/// deny or fault stops it; it fails closed. Thread-safe: each evaluation has an engine to itself.
/// </summary>
public sealed class RulePipeline
{
    private readonly RulePipelineSettings settings;
    private readonly SandboxEngineFactory engines;
    private readonly EnginePool? pool;

    /// <param name="rules">Compiled rules; Rules run before Actions, each group in the order given.</param>
    /// <param name="settings">The tenant's configuration, fail mode and limits; defaults when null.</param>
    /// <param name="clock">The clock the rules see (<c>Date</c>); the system clock when null. Limits use real time.</param>
    public RulePipeline(IEnumerable<CompiledRule> rules, RulePipelineSettings? settings = null, TimeProvider? clock = null)
        : this(rules, settings, clock, warm: true)
    {
    }

    internal RulePipeline(IEnumerable<CompiledRule> rules, RulePipelineSettings? settings, TimeProvider? clock, bool warm)
    {
        if (warm)
        {
            SandboxWarmup.EnsureWarm();
        }

        this.settings = settings ?? new RulePipelineSettings();
        engines = new SandboxEngineFactory(this.settings.Limits, clock ?? TimeProvider.System) { BuiltinBounds = this.settings.BuiltinBounds };
        Rules = rules.OrderBy(rule => rule.Kind).ToList();
        if (!this.settings.FreshEnginePerLogin)
        {
            var required = RuleSetModules.Of(Rules);
            pool = new EnginePool(engines, Rules, required.UsesModules, required.Names, this.settings.Configuration, this.settings.Domain);
            if (warm)
            {
                pool.Warm();
            }
        }
    }

    /// <summary>The engines this rule set reuses across logins, or null when each login gets a fresh one.</summary>
    internal EnginePool? Engines => pool;

    /// <summary>The rules in run order.</summary>
    public IReadOnlyList<CompiledRule> Rules { get; }

    /// <summary>Runs every rule on the login and returns the decision; never throws for anything a rule does.</summary>
    public MfaDecision Evaluate(LoginContext login)
    {
        var limits = settings.Limits;
        var outputs = new RuleOutputs(limits.MaxLogEntries, limits.MaxLogMessageLength);
        var traces = new List<RuleTrace>(Rules.Count);
        RuleRun? stop = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var sandbox = pool is null
                ? LoginSandbox.Create(engines, outputs, settings.Configuration, settings.Domain, UserIdOf(login))
                : LoginSandbox.Lease(pool, outputs, settings.Configuration, settings.Domain, UserIdOf(login));
            // Preparing a pooled engine (loading modules) is not the rules' time.
            started = Stopwatch.GetTimestamp();
            var rules = new RulesAdapter(sandbox, sandbox.Input(login.User), sandbox.Input(login.Context));
            ActionsAdapter? actions = null;
            foreach (var rule in Rules)
            {
                if (stop is not null)
                {
                    traces.Add(Trace(rule, RuleStatus.Skipped, 0));
                    continue;
                }

                var ruleStarted = Stopwatch.GetTimestamp();
                var remaining = limits.PipelineTimeout - Stopwatch.GetElapsedTime(started);
                var breaker = settings.CircuitBreaker;
                var run = remaining <= TimeSpan.Zero ? RuleFaults.PipelineTimeout(rule, limits)
                    : breaker?.IsOpen(settings.Domain, rule.VersionHash) == true ? RuleRun.Faulted(RuleStatus.Limit,
                        $"{rule.Label} is suspended for up to {breaker.OpenFor.TotalMinutes:N0} minutes after repeatedly breaking its limits.", SandboxLimit.Suspended)
                    : sandbox.Run(rule, remaining, rule.Kind == RuleKind.Rule ? rules : actions ??= new ActionsAdapter(sandbox, new ActionsEvent(login, settings.Configuration, outputs)));
                // Checked whatever the ending: a deny keeps its metadata patches, but never an oversized or too deep one.
                var outOfBounds = outputs.DropOversized(limits.MaxOutputBytes) is { } oversized
                    ? RuleRun.Faulted(RuleStatus.Limit, $"{rule.Label} made the {oversized} larger than {limits.MaxOutputBytes:N0} bytes.", SandboxLimit.OutputSize)
                    : null;
                if (outputs.DropTooDeep(JsonNesting.MaxLevels) is { } tooDeep)
                {
                    outOfBounds ??= RuleRun.Faulted(RuleStatus.Limit, $"{rule.Label} made the {tooDeep} deeper than {JsonNesting.MaxLevels} levels.", SandboxLimit.OutputDepth);
                }

                if (outOfBounds is not null && run.Status is RuleStatus.Ok or RuleStatus.Denied or RuleStatus.Error)
                {
                    run = outOfBounds;
                }

                traces.Add(Trace(rule, run.Status, Stopwatch.GetElapsedTime(ruleStarted).TotalMilliseconds, run.Limit));
                if (run.Status is RuleStatus.Timeout or RuleStatus.Limit && run.Limit != SandboxLimit.Suspended)
                {
                    breaker?.RecordFault(settings.Domain, rule.VersionHash);
                }

                if (run.Status != RuleStatus.Ok)
                {
                    stop = run;
                    if (run.IsFault)
                    {
                        outputs.Log(rule.Id, "error", run.FaultDescription!, always: true);
                    }
                }
            }
        }
        catch (Exception exception)
        {
            // An error of ours outside any rule (building the inputs, the globals): fail the same way as a fault.
            stop = RuleRun.Faulted(RuleStatus.Error, "The rules could not be evaluated because of an internal error.");
            outputs.Log("", "error", $"{RuleFaults.InternalErrorLog} ({exception.GetType().Name})", always: true);
            traces.AddRange(Rules.Skip(traces.Count).Select(rule => Trace(rule, RuleStatus.Skipped, 0)));
        }

        return MfaDecisionBuilder.Build(outputs, traces, stop, settings.FailMode);
    }

    /// <summary>
    /// The decision for a login whose input could not be read (stored metadata nested too deep): no rule runs, and
    /// the tenant's fail mode applies as it does for a fault, with <paramref name="reason"/> as the description.
    /// </summary>
    public MfaDecision FailClosed(string reason)
    {
        var outputs = new RuleOutputs(settings.Limits.MaxLogEntries, settings.Limits.MaxLogMessageLength);
        outputs.Log("", "error", reason, always: true);
        return MfaDecisionBuilder.Build(outputs, Rules.Select(rule => Trace(rule, RuleStatus.Skipped, 0)).ToList(),
            RuleRun.Faulted(RuleStatus.Error, reason), settings.FailMode);
    }

    private static string? UserIdOf(LoginContext login) =>
        login.User["user_id"] is JsonValue id && id.TryGetValue<string>(out var userId) ? userId : null;

    private static RuleTrace Trace(CompiledRule rule, RuleStatus status, double milliseconds, SandboxLimit? limit = null) =>
        new(rule.Id, rule.Name, rule.Kind, rule.VersionHash, status, Math.Round(milliseconds, 3), limit);
}
