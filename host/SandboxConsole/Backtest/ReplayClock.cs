namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>The clock a backtest's rules see: set to each recorded login's own time before its rules run (one login at a time).</summary>
public sealed class ReplayClock : TimeProvider
{
    public DateTimeOffset Now { get; set; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;
}
