namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>
/// What a backtest found: how many recorded logins it compared, how many the draft decides differently, counted by kind of
/// change, by client and by rule, and the changed logins themselves (the first <see cref="BacktestTally.MaxListed"/>).
/// <see cref="Skipped"/> counts recorded logins whose stored input is not a Rules view (written by hand into the database).
/// </summary>
public sealed record BacktestResult(
    int Compared, int Changed, int Skipped, IReadOnlyDictionary<string, int> ByKind, IReadOnlyDictionary<string, int> ByClient,
    IReadOnlyDictionary<string, int> ByRule, IReadOnlyList<BacktestChange> Changes);
