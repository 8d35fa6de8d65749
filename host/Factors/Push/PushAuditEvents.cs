namespace RulesMfa.Host.Factors.Push;

/// <summary>The push factor's own audit events, ids 1120 to 1139 (the generic ones are in <c>Audit/AuditEvents</c>).</summary>
public static partial class PushAuditEvents
{
    [LoggerMessage(1120, LogLevel.Information,
        "Audit {AuditEvent}: push device {EnrollmentId} enrolled for user {UserId} of tenant {TenantId} from {ClientIp}; it counts once the enrollment page confirms it")]
    public static partial void PushDeviceEnrolled(this ILogger logger, string enrollmentId, string userId, string tenantId, string? clientIp,
        string auditEvent = "mfa.push-device-enrolled");

    [LoggerMessage(1121, LogLevel.Warning, "Audit {AuditEvent}: a push enrollment in tenant {TenantId} from {ClientIp} was refused: {Reason}")]
    public static partial void PushEnrollmentRefused(this ILogger logger, string tenantId, string? clientIp, string reason,
        string auditEvent = "mfa.push-enrollment-refused");

    [LoggerMessage(1122, LogLevel.Information, "Audit {AuditEvent}: push request {TransactionId} was sent to device {EnrollmentId} of user {UserId} of tenant {TenantId}")]
    public static partial void PushSent(this ILogger logger, string transactionId, string enrollmentId, string userId, string tenantId,
        string auditEvent = "mfa.push-sent");

    [LoggerMessage(1123, LogLevel.Warning, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} asked for too many push requests, from {ClientIp}")]
    public static partial void PushTooMany(this ILogger logger, string userId, string tenantId, string? clientIp, string auditEvent = "mfa.push-too-many");

    [LoggerMessage(1124, LogLevel.Information, "Audit {AuditEvent}: device {EnrollmentId} of user {UserId} of tenant {TenantId} approved push request {TransactionId}")]
    public static partial void PushApproved(this ILogger logger, string enrollmentId, string userId, string tenantId, string transactionId,
        string auditEvent = "mfa.push-approved");

    [LoggerMessage(1125, LogLevel.Warning,
        "Audit {AuditEvent}: device {EnrollmentId} of user {UserId} of tenant {TenantId} turned down push request {TransactionId} (reason: {Reason})")]
    public static partial void PushRejected(this ILogger logger, string enrollmentId, string userId, string tenantId, string transactionId, string? reason,
        string auditEvent = "mfa.push-rejected");

    [LoggerMessage(1126, LogLevel.Warning,
        "Audit {AuditEvent}: an answer to push request {TransactionId} in tenant {TenantId} from {ClientIp} was refused: {Error}")]
    public static partial void PushAnswerRefused(this ILogger logger, string? transactionId, string tenantId, string? clientIp, string error,
        string auditEvent = "mfa.push-answer-refused");

    [LoggerMessage(1127, LogLevel.Warning,
        "Audit {AuditEvent}: a call of device {EnrollmentId} in tenant {TenantId} from {ClientIp} was refused: no such enrolled device (removed, or another tenant's)")]
    public static partial void PushDeviceRefused(this ILogger logger, string enrollmentId, string tenantId, string? clientIp,
        string auditEvent = "mfa.push-device-refused");
}
