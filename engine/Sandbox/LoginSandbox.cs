using Jint.Native;
using RulesMfa.Engine.Compilation;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The sandbox of one login: a fresh engine with fresh globals, used by one thread, discarded afterwards,
/// so nothing a login's rules do reaches another login.
/// </summary>
internal sealed class LoginSandbox : IDisposable
{
    private readonly RuleDeadline deadline;

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

    /// <summary>The tenant's configuration, for the <c>configuration</c> global.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; }

    /// <summary>The tenant's domain, for <c>auth0.domain</c>.</summary>
    public string Domain { get; }

    /// <summary>The logging-in user, the only one whose metadata rules may update.</summary>
    public string? UserId { get; }

    /// <summary>The rule now running, to which console lines and notices are attributed.</summary>
    public string CurrentRuleId { get; private set; } = "";

    public static LoginSandbox Create(
        SandboxEngineFactory factory, RuleOutputs outputs, IReadOnlyDictionary<string, string> configuration, string domain, string? userId)
    {
        var (engine, deadline) = factory.Create();
        return new LoginSandbox(engine, deadline, factory.Limits, outputs, configuration, domain, userId);
    }

    public JsValue ToJs(System.Text.Json.Nodes.JsonNode? node) => JsValueConverter.ToJs(Engine, node);

    /// <summary>
    /// Runs one rule's body under a deadline. Whatever stops it becomes a <see cref="RuleRun"/>, never an exception.
    /// </summary>
    /// <param name="rule">The rule to run.</param>
    /// <param name="pipelineTimeLeft">What is left of the login's time; the rule gets the lesser of it and its own limit.</param>
    /// <param name="body">The adapter's run of the rule.</param>
    public RuleRun Run(CompiledRule rule, TimeSpan pipelineTimeLeft, Func<RuleRun> body)
    {
        CurrentRuleId = rule.Id;
        var limitedByPipeline = pipelineTimeLeft < Limits.RuleTimeout;
        deadline.Begin(limitedByPipeline ? pipelineTimeLeft : Limits.RuleTimeout);
        try
        {
            return body();
        }
        catch (Exception exception)
        {
            return RuleFaults.Classify(exception, rule, Limits, limitedByPipeline, Outputs);
        }
        finally
        {
            deadline.End();
        }
    }

    /// <summary>
    /// Calls a rule's function, then runs every promise job it queued (microtasks) to completion, so
    /// nothing it started runs later under another rule's name. Returns how its returned value settled.
    /// </summary>
    public PromiseWatch CallAndDrain(JsValue function, params JsValue[] arguments)
    {
        var settlement = PromiseWatch.Attach(Engine, Engine.Call(function, JsValue.Undefined, arguments));
        Engine.Advanced.ProcessTasks();
        return settlement;
    }

    public void Dispose() => Engine.Dispose();
}
