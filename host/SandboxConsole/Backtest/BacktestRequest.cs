namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>
/// <c>POST /console/backtest</c>: the draft rule set (the enabled rules, in order, run as logins would) and how many of the
/// newest recorded logins to run it on (default <see cref="BacktestJobs.DefaultLogins"/>, at most <see cref="BacktestJobs.MaxLogins"/>).
/// </summary>
public sealed record BacktestRequest(IReadOnlyList<DraftRule>? Rules, int? Last);
