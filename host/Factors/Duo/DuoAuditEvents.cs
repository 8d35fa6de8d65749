namespace RulesMfa.Host.Factors.Duo;

/// <summary>The Duo factor's own audit events, ids 1180 to 1199 (the generic ones are in <c>Audit/AuditEvents</c>).</summary>
public static partial class DuoAuditEvents
{
    [LoggerMessage(1180, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} was sent to Duo at {ApiHost} as Duo user {DuoUser}")]
    public static partial void DuoRedirected(this ILogger logger, string userId, string tenantId, string apiHost, string duoUser, string auditEvent = "mfa.duo-redirected");

    [LoggerMessage(1181, LogLevel.Warning,
        "Audit {AuditEvent}: Duo at {ApiHost} failed its health check for user {UserId} of tenant {TenantId}; the login is denied (Duo fails closed)")]
    public static partial void DuoUnavailable(this ILogger logger, string userId, string tenantId, string apiHost, string auditEvent = "mfa.duo-unavailable");

    [LoggerMessage(1182, LogLevel.Error, "Audit {AuditEvent}: Duo is not set up for user {UserId} of tenant {TenantId}: {Problem}; the login is denied")]
    public static partial void DuoNotConfigured(this ILogger logger, string userId, string tenantId, string problem, string auditEvent = "mfa.duo-not-configured");

    [LoggerMessage(1183, LogLevel.Warning, "Audit {AuditEvent}: an answer from Duo for user {UserId} of tenant {TenantId} from {ClientIp} was refused: {Reason}")]
    public static partial void DuoStateRefused(this ILogger logger, string userId, string tenantId, string? clientIp, string reason,
        string auditEvent = "mfa.duo-state-refused");

    [LoggerMessage(1184, LogLevel.Warning, "Audit {AuditEvent}: Duo did not verify user {UserId} of tenant {TenantId} (Duo's status: {Status})")]
    public static partial void DuoDenied(this ILogger logger, string userId, string tenantId, string status, string auditEvent = "mfa.duo-denied");

    [LoggerMessage(1185, LogLevel.Warning,
        "Audit {AuditEvent}: Duo answered for another user than {DuoUser} (user {UserId} of tenant {TenantId}); the answer was refused")]
    public static partial void DuoUserMismatch(this ILogger logger, string duoUser, string userId, string tenantId, string auditEvent = "mfa.duo-user-mismatch");

    [LoggerMessage(1186, LogLevel.Warning, "Audit {AuditEvent}: Duo's answer for user {UserId} of tenant {TenantId} was refused: {Reason}")]
    public static partial void DuoAnswerInvalid(this ILogger logger, string userId, string tenantId, string reason, string auditEvent = "mfa.duo-answer-invalid");
}
