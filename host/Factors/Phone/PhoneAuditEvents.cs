namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// The phone factor's own audit events (ids 1100 to 1119; the generic <c>mfa.succeeded</c>, <c>mfa.failed</c> and
/// <c>mfa.enrolled</c> name the factor <c>phone</c>). Numbers appear masked, codes and message texts never; channels and
/// purposes in words (<see cref="PhoneWords"/>): "a text message code to sign in".
/// </summary>
public static partial class PhoneAuditEvents
{
    [LoggerMessage(1100, LogLevel.Information,
        "Audit {AuditEvent}: a {Channel} code {Purpose} was sent to {MaskedNumber} of user {UserId} of tenant {TenantId} through {Sender}")]
    public static partial void PhoneCodeSent(this ILogger logger, string channel, string purpose, string maskedNumber, string userId, string tenantId,
        string sender, string auditEvent = "mfa.phone-sent");

    [LoggerMessage(1101, LogLevel.Warning,
        "Audit {AuditEvent}: a {Channel} code for user {UserId} of tenant {TenantId} was refused by the limit {Limit} until {RetryAt}, from {ClientIp}")]
    public static partial void PhoneSendRefused(this ILogger logger, string channel, string userId, string tenantId, string limit, DateTimeOffset retryAt,
        string? clientIp, string auditEvent = "mfa.phone-send-refused");

    [LoggerMessage(1102, LogLevel.Error,
        "Audit {AuditEvent}: the {Sender} sender could not send a {Channel} code to {MaskedNumber} of user {UserId} of tenant {TenantId}: {Reason}")]
    public static partial void PhoneSenderFailed(this ILogger logger, string sender, string channel, string maskedNumber, string userId, string tenantId,
        string reason, string auditEvent = "mfa.phone-sender-error");

    [LoggerMessage(1103, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} confirmed the phone number {MaskedNumber} by {Channel}")]
    public static partial void PhoneNumberConfirmed(this ILogger logger, string userId, string tenantId, string maskedNumber, string channel,
        string auditEvent = "mfa.phone-enrolled");
}
