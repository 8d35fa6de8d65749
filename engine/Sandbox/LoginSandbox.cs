using Jint.Native;
using Jint.Runtime;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Sandbox.Pooling;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The sandbox of one login, used by one thread: an engine of the rule set's <see cref="EnginePool"/> with this
/// login's own globals, given back when the login ends (put back as prepared, or discarded), or a fresh engine
/// discarded afterwards. Either way nothing a login's rules do reaches another login.
/// </summary>
internal sealed class LoginSandbox : IDisposable
{
    private readonly RuleDeadline deadline;
    private EnginePool? pool;
    private PooledEngine? pooled;
    private bool faulted;

    private LoginSandbox(JintEngine engine, RuleDeadline deadline, SandboxLimits limits, RuleOutputs outputs,
        IReadOnlyDictionary<string, string> configuration, string domain, string? userId)
    {
        Engine = engine;
        this.deadline = deadline;
        Limits = limits;
        Outputs = outputs;
        Configuration = configuration;
        Domain = domain;
        UserId = userId;
        engine.Advanced.HostDefined = this;
    }

    public JintEngine Engine { get; }

    public SandboxLimits Limits { get; }

    public RuleOutputs Outputs { get; }

    /// <summary>The clock the rules see; the system clock unless the pipeline was given another.</summary>
    public TimeProvider Clock { get; private init; } = TimeProvider.System;

    /// <summary>The tenant's configuration, for the <c>configuration</c> global.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; }

    /// <summary>The tenant's domain, for <c>auth0.domain</c>.</summary>
    public string Domain { get; }

    /// <summary>The logging-in user, the only one whose metadata rules may update.</summary>
    public string? UserId { get; }

    /// <summary>The timers the running rule set; cleared when it ends, so none fires under another rule.</summary>
    public NodeCompat.RuleTimers Timers { get; } = new();

    /// <summary>The promise reactions the running rule registered (<see cref="PromiseReactionBudget"/>).</summary>
    public int PromiseReactions { get; set; }

    /// <summary>The rule now running, to which console lines and notices are attributed.</summary>
    public string CurrentRuleId { get; private set; } = "";

    public static LoginSandbox Create(
        SandboxEngineFactory factory, RuleOutputs outputs, IReadOnlyDictionary<string, string> configuration, string domain, string? userId)
    {
        var (engine, deadline) = factory.Create();
        return new LoginSandbox(engine, deadline, factory.Limits, outputs, configuration, domain, userId) { Clock = factory.Clock };
    }

    /// <summary>A sandbox on an engine of <paramref name="engines"/>, with this login's own globals installed.</summary>
    public static LoginSandbox Lease(
        EnginePool engines, RuleOutputs outputs, IReadOnlyDictionary<string, string> configuration, string domain, string? userId)
    {
        var engine = engines.Rent();
        var sandbox = new LoginSandbox(engine.Engine, engine.Deadline, engines.Limits, outputs, configuration, domain, userId)
        {
            pool = engines,
            pooled = engine,
            Clock = engines.Clock,
        };
        engine.BeginLogin(sandbox);
        return sandbox;
    }

    /// <summary>The sandbox an engine of a pool is prepared under: the rule set's configuration and domain, no login.</summary>
    public static LoginSandbox ForPreparation(
        JintEngine engine, RuleDeadline deadline, SandboxLimits limits, IReadOnlyDictionary<string, string> configuration, string domain) =>
        new(engine, deadline, limits, new RuleOutputs(limits.MaxLogEntries, limits.MaxLogMessageLength), configuration, domain, null);

    /// <summary>The rule's function (a Rule's, or an Action's module wrapper): the engine's own when pooled, else evaluated now.</summary>
    public JsValue FunctionOf(CompiledRule rule)
    {
        if (pooled?.FunctionOf(rule) is { } function)
        {
            return function;
        }

        var script = rule.Script;
        return Engine.Evaluate(in script);
    }

    /// <summary>A Rule's callback, begun for this login: the engine's own when pooled, else a new one.</summary>
    public RuleCallback CallbackOf(CompiledRule rule) => (pooled?.CallbackOf(rule) ?? new RuleCallback(Engine, rule.Id)).Begin(this);

    /// <summary>An Action's <c>api</c>, begun for this login: the engine's own when pooled, else a new one.</summary>
    public ActionApi ApiOf(CompiledRule rule) => (pooled?.ApiOf(rule) ?? new ActionApi(Engine, rule.Id)).Begin(this);

    /// <summary>A rule's input, converted as the rules read it (<see cref="JsValueConverter.ToJsLazily"/>).</summary>
    public Jint.Native.Object.ObjectInstance Input(System.Text.Json.Nodes.JsonObject input) => JsValueConverter.ToJsLazily(Engine, input);

    /// <summary>
    /// Runs one rule's body under a deadline. Whatever stops it becomes a <see cref="RuleRun"/>, never an exception.
    /// </summary>
    /// <param name="rule">The rule to run.</param>
    /// <param name="pipelineTimeLeft">What is left of the login's time; the rule gets the lesser of it and its own limit.</param>
    /// <param name="adapter">What runs the rule: its kind's adapter.</param>
    public RuleRun Run(CompiledRule rule, TimeSpan pipelineTimeLeft, IRuleAdapter adapter)
    {
        CurrentRuleId = rule.Id;
        PromiseReactions = 0;
        var limitedByPipeline = pipelineTimeLeft < Limits.RuleTimeout;
        deadline.Begin(limitedByPipeline ? pipelineTimeLeft : Limits.RuleTimeout);
        try
        {
            var run = adapter.Run(rule);
            faulted |= run.IsFault;
            return run;
        }
        catch (Exception exception)
        {
            var run = RuleFaults.Classify(exception, rule, Limits, limitedByPipeline, Outputs);
            // A rule stopped mid-way may have left module or engine state half-changed: never reuse that engine.
            faulted |= run.IsFault || exception is not JavaScriptException;
            return run;
        }
        finally
        {
            Timers.Clear();
            // Jobs it left queued (it threw before its drain, or a getter the reader ran queued them) must not run under the
            // next rule or login: forgotten, and the engine not reused.
            faulted |= PendingJobs.Discard(Engine);
            deadline.End();
        }
    }

    /// <summary>
    /// Calls a rule's function, then runs every promise job it queued (microtasks) and every timer it set to
    /// completion, so nothing it started runs later under another rule's name. Returns how its returned value settled.
    /// </summary>
    public PromiseWatch CallAndDrain(JsValue function, params JsValue[] arguments)
    {
        var settlement = PromiseWatch.Attach(Engine, Engine.Call(function, JsValue.Undefined, arguments));
        Engine.Advanced.ProcessTasks();
        Timers.Run(Engine, Limits.RuleTimeout);
        return settlement;
    }

    public void Dispose()
    {
        if (pool is not null && pooled is not null)
        {
            pool.Return(pooled, reusable: !faulted);
        }
        else
        {
            Engine.Dispose();
        }
    }
}
