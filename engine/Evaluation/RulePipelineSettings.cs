using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Engine.Evaluation;

/// <summary>A tenant's settings for running its rules.</summary>
public sealed class RulePipelineSettings
{
    /// <summary>The rules' <c>configuration</c> (read-only) and the Actions' <c>event.secrets</c>. Default empty.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    /// <summary>What a fault leads to. Default <see cref="FailMode.Deny"/>.</summary>
    public FailMode FailMode { get; init; } = FailMode.Deny;

    /// <summary>Sandbox limits. Default <see cref="SandboxLimits"/>' safe defaults.</summary>
    public SandboxLimits Limits { get; init; } = new();

    /// <summary>
    /// Suspends rules that keep breaking limits; shared by every pipeline of a host. Default null (off), so that a
    /// single evaluation (the CLI, tests) is never affected by earlier ones; the server always sets one.
    /// </summary>
    public RuleCircuitBreaker? CircuitBreaker { get; init; }

    /// <summary>
    /// Whether each engine gets the builtin bounds of issue 20 (run-time regexes interpreted and measured, the array
    /// searches, sort, concat and flat bounded). Always true in the product; the benchmarks turn it off to show their cost.
    /// </summary>
    internal bool BuiltinBounds { get; init; } = true;

    /// <summary>
    /// Whether every login gets a new engine instead of one of the rule set's reused engines, which are put back as
    /// prepared after each login (see Sandbox/Pooling). The same decisions either way; a new engine costs several
    /// times the evaluation (BENCHMARKS.md). Default false.
    /// </summary>
    public bool FreshEnginePerLogin { get; init; }

    /// <summary>The tenant's domain, as <c>auth0.domain</c>. Default <c>localhost</c>.</summary>
    public string Domain { get; init; } = "localhost";
}
