namespace RulesMfa.Host.Admin.AuditLog;

/// <summary>One audit event as the admin API lists it; <see cref="Id"/> is the cursor of the next page.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string Target, string? OldHash, string? NewHash, string? Detail);

/// <summary>A page of audit events, newest first, and the cursor of the next page (null when there is none).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Events, long? Next);
