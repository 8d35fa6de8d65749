namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>
/// One recorded login the draft decides differently: which (<see cref="Id"/>, openable in the console's replay), what was
/// recorded and what the draft decides, how it changed (<c>allow → mfa</c>, <c>factors</c>, <c>claims</c>) and the draft's
/// rules that differ from those the login ran and ran in the draft (the likely cause).
/// </summary>
public sealed record BacktestChange(
    long Id, DateTimeOffset At, string UserId, string? ClientId, string Recorded, string Draft, IReadOnlyList<string> Kinds, IReadOnlyList<string> Rules,
    IReadOnlyList<string> RecordedFactors, IReadOnlyList<string> DraftFactors, string? UserEmail = null);
