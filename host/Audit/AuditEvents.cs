using Microsoft.Extensions.Logging;

namespace RulesMfa.Host.Audit;

/// <summary>
/// The audit trail: one structured event per step of a login, with stable ids and names, carrying tenant,
/// client, user and IP. Ids, names and reasons only: never a password, code, secret or token.
/// </summary>
public static partial class AuditEvents
{
    [LoggerMessage(1001, LogLevel.Information, "Audit {AuditEvent}: user {UserId} signed in with a password to tenant {TenantId} from {ClientIp}")]
    public static partial void LoginSucceeded(this ILogger logger, string userId, string tenantId, string? clientIp, string auditEvent = "login.succeeded");

    [LoggerMessage(1002, LogLevel.Warning, "Audit {AuditEvent}: a password login failed in tenant {TenantId} from {ClientIp}")]
    public static partial void LoginFailed(this ILogger logger, string tenantId, string? clientIp, string auditEvent = "login.failed");

    [LoggerMessage(1003, LogLevel.Warning, "Audit {AuditEvent}: password logins are blocked for {BlockedForSeconds} s in tenant {TenantId} from {ClientIp}")]
    public static partial void LockedOut(this ILogger logger, string tenantId, string? clientIp, double blockedForSeconds, string auditEvent = "login.locked-out");

    [LoggerMessage(1010, LogLevel.Information,
        "Audit {AuditEvent}: rules decided {Outcome} for user {UserId} of tenant {TenantId} on client {ClientId} ({Protocol}) from {ClientIp}; plan {Plan}: {Reason}; rules {RuleStatuses}")]
    public static partial void RulesDecided(this ILogger logger, string outcome, string userId, string tenantId, string? clientId, string protocol,
        string? clientIp, string plan, string reason, string ruleStatuses, string auditEvent = "rules.decided");

    [LoggerMessage(1011, LogLevel.Error, "Audit {AuditEvent}: rule {RuleId} of tenant {TenantId} ended with {RuleStatus} for user {UserId}: {Description}")]
    public static partial void RuleFaulted(this ILogger logger, string ruleId, string tenantId, string ruleStatus, string userId, string description, string auditEvent = "rules.fault");

    [LoggerMessage(1012, LogLevel.Warning, "Audit {AuditEvent}: the login of user {UserId} of tenant {TenantId} was decided by the fail mode: {Reason}")]
    public static partial void RulesInputUnreadable(this ILogger logger, string userId, string tenantId, string reason, string auditEvent = "rules.input-unreadable");

    [LoggerMessage(1015, LogLevel.Warning, "Audit {AuditEvent}: a {EvaluationKind} evaluation of tenant {TenantId} was refused: {Reason}")]
    public static partial void EvaluationRefused(this ILogger logger, string tenantId, string evaluationKind, string reason, string auditEvent = "rules.not-admitted");

    [LoggerMessage(1020, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} must {Step} with {Factors} on client {ClientId}")]
    public static partial void MfaRequired(this ILogger logger, string userId, string tenantId, string step, string factors, string? clientId, string auditEvent = "mfa.required");

    [LoggerMessage(1025, LogLevel.Information, "Audit {AuditEvent}: a {Factor} code was sent to user {UserId} of tenant {TenantId}")]
    public static partial void ChallengeSent(this ILogger logger, string userId, string tenantId, string factor, string auditEvent = "mfa.challenge-sent");

    [LoggerMessage(1021, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} passed MFA with {Factor} from {ClientIp}")]
    public static partial void MfaSucceeded(this ILogger logger, string userId, string tenantId, string factor, string? clientIp, string auditEvent = "mfa.succeeded");

    [LoggerMessage(1022, LogLevel.Warning, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} sent a wrong {Factor} code from {ClientIp}")]
    public static partial void MfaFailed(this ILogger logger, string userId, string tenantId, string factor, string? clientIp, string auditEvent = "mfa.failed");

    [LoggerMessage(1023, LogLevel.Warning, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} sent an authenticator code that was already used, from {ClientIp}")]
    public static partial void ReplayRefused(this ILogger logger, string userId, string tenantId, string? clientIp, string auditEvent = "mfa.replay-refused");

    [LoggerMessage(1024, LogLevel.Warning, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} ran out of code attempts, from {ClientIp}")]
    public static partial void TooManyAttempts(this ILogger logger, string userId, string tenantId, string? clientIp, string auditEvent = "mfa.too-many-attempts");

    [LoggerMessage(1030, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} enrolled {Factor}")]
    public static partial void Enrolled(this ILogger logger, string userId, string tenantId, string factor, string auditEvent = "mfa.enrolled");

    [LoggerMessage(1033, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} was told by email that {Factor} was added")]
    public static partial void FactorAddedNoticeSent(this ILogger logger, string userId, string tenantId, string factor, string auditEvent = "mfa.factor-added-notice");

    [LoggerMessage(1034, LogLevel.Warning, "Audit {AuditEvent}: the email telling user {UserId} of tenant {TenantId} that {Factor} was added could not be sent ({ErrorType})")]
    public static partial void FactorAddedNoticeFailed(this ILogger logger, string userId, string tenantId, string factor, string errorType, string auditEvent = "mfa.factor-added-notice-failed");

    [LoggerMessage(1026, LogLevel.Warning,
        "Audit {AuditEvent}: user {UserId} of tenant {TenantId} sent {Factor} from {ClientIp}, which this sign-in does not accept: {Why}")]
    public static partial void FactorRefused(this ILogger logger, string userId, string tenantId, string factor, string? clientIp, string why, string auditEvent = "mfa.factor-refused");

    [LoggerMessage(1027, LogLevel.Warning,
        "Audit {AuditEvent}: user {UserId} of tenant {TenantId} could not sign in: the rules allow only {Factors}, which this tenant cannot offer")]
    public static partial void FactorsUnavailable(this ILogger logger, string userId, string tenantId, string factors, string auditEvent = "mfa.factors-unavailable");

    [LoggerMessage(1031, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} used a recovery code from {ClientIp}")]
    public static partial void RecoveryCodeUsed(this ILogger logger, string userId, string tenantId, string? clientIp, string auditEvent = "mfa.recovery-code-used");

    [LoggerMessage(1032, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} was issued a new recovery code")]
    public static partial void RecoveryCodeIssued(this ILogger logger, string userId, string tenantId, string auditEvent = "mfa.recovery-code-issued");

    [LoggerMessage(1040, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} skipped MFA on a remembered browser")]
    public static partial void RememberedBrowserUsed(this ILogger logger, string userId, string tenantId, string auditEvent = "mfa.remembered-browser-used");

    [LoggerMessage(1060, LogLevel.Information, "Audit {AuditEvent}: {Actor} changed {Target} of tenant {TenantId} ({OldHash} -> {NewHash}): {Detail}")]
    public static partial void AdminChange(this ILogger logger, string auditEvent, string actor, string target, string tenantId, string? oldHash, string? newHash, string? detail);
}
