namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>
/// An admin's draft rule set in login order, beside the deployed set it is compared with (<see cref="Saved"/> false and
/// <see cref="UpdatedAt"/> null when they have no draft yet: then <see cref="Rules"/> is the deployed set, where a draft starts).
/// </summary>
public sealed record ConsoleDraft(IReadOnlyList<DraftRule> Rules, bool Saved, DateTimeOffset? UpdatedAt, IReadOnlyList<DraftRule> Deployed);
