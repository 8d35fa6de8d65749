namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>
/// One admin's draft rule set of a tenant, kept on the server between visits to the console until it is deployed or
/// discarded: the rules in login order as JSON (<see cref="ConsoleDraft"/>).
/// </summary>
public sealed class ConsoleDraftRecord
{
    public long Id { get; set; }

    public required string TenantId { get; set; }

    /// <summary>Whose draft: the actor's name (<c>user:ID</c> or <c>client:ID</c>).</summary>
    public required string Owner { get; set; }

    /// <summary>The draft's rules (<see cref="ConsoleDraft.Rules"/>) as JSON.</summary>
    public required string RulesJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
