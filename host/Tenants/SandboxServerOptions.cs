using System.ComponentModel.DataAnnotations;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Host.Tenants;

/// <summary>
/// The operator's bounds on every tenant's rules, bound from the <c>Sandbox</c> section and validated at start: how many
/// evaluations of one tenant run at once and how many wait, the console's share, the parse cache's size, and the
/// maximums a tenant's own limits may reach.
/// </summary>
public sealed class SandboxServerOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>Sandbox</c>.</summary>
    public const string SectionName = "Sandbox";

    /// <summary>Rule evaluations (logins and console runs together) of one tenant that run at once. Default 2.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrentEvaluationsPerTenant { get; set; } = 2;

    /// <summary>Evaluations of one tenant that may wait for their turn; past that they are refused at once. Default 100.</summary>
    [Range(0, 100_000)]
    public int EvaluationQueueLength { get; set; } = 100;

    /// <summary>How long an evaluation may wait for its turn before it is refused. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan EvaluationQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Console runs (and rule test runs) of one tenant that run at once; they also take the tenant's evaluation places. Default 1.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrentConsoleRunsPerTenant { get; set; } = 1;

    /// <summary>Console runs of one tenant that may wait for their turn. Default 4.</summary>
    [Range(0, 10_000)]
    public int ConsoleQueueLength { get; set; } = 4;

    /// <summary>Evaluation time (wall clock) one tenant's console runs and rule test runs may use per minute. Default 20 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ConsoleTimePerMinute { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Evaluation time (wall clock) one tenant's backtests may use per minute, a budget of their own (not the console's).
    /// Default 30 s: a backtest of 10,000 logins then takes well under a minute, and the other half of a core stays with logins.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan BacktestTimePerMinute { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes of parsed rules kept in memory, in all. Default 256 MiB.</summary>
    [Range(0, long.MaxValue)]
    public long CompileCacheBytes { get; set; } = RuleCompiler.DefaultCacheBytes;

    /// <summary>Bytes of parsed rules kept in memory for one tenant. Default 64 MiB.</summary>
    [Range(0, long.MaxValue)]
    public long CompileCacheBytesPerTenant { get; set; } = RuleCompiler.DefaultCacheBytesPerOwner;

    /// <summary>The most each of a tenant's sandbox limits may be (<c>Sandbox:Maximums:RuleTimeout</c>, ...). Defaults: <see cref="SandboxMaximums.Defaults"/>.</summary>
    public SandboxLimits Maximums { get; set; } = SandboxMaximums.Defaults();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Maximums, new ValidationContext(Maximums), results, validateAllProperties: true);
        return results.Select(result =>
            new ValidationResult($"{SectionName}:{nameof(Maximums)}:{result.MemberNames.FirstOrDefault()}: {result.ErrorMessage}", [nameof(Maximums)]));
    }
}
