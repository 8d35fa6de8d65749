namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>One recorded login compared: skipped (its input could not be read), unchanged (no <see cref="Change"/>), or changed.</summary>
public readonly record struct BacktestComparison(bool Skipped, BacktestChange? Change);
