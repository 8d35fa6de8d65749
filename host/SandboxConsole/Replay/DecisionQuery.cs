namespace RulesMfa.Host.SandboxConsole.Replay;

/// <summary>
/// A search of the decision log: <see cref="User"/> is a user id or part of an email, <see cref="Client"/> a client id,
/// <see cref="Outcome"/> <c>allow</c>, <c>mfa</c> or <c>deny</c>, and <see cref="From"/>/<see cref="To"/> bound the time;
/// newest first, at most <see cref="Limit"/> (1 to 200, default 20).
/// </summary>
public sealed record DecisionQuery(string? User, string? Client, string? Outcome, DateTimeOffset? From, DateTimeOffset? To, int? Limit);
