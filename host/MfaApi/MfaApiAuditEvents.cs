namespace RulesMfa.Host.MfaApi;

/// <summary>The MFA API's own audit events (ids 1140 to 1159); the generic ones (<c>mfa.*</c>, <c>login.*</c>) are shared with the pages.</summary>
public static partial class MfaApiAuditEvents
{
    [LoggerMessage(1140, LogLevel.Warning, "Audit {AuditEvent}: an mfa_token was refused in tenant {TenantId} on client {ClientId} from {ClientIp}: {Reason}")]
    public static partial void MfaTokenRefused(this ILogger logger, string tenantId, string? clientId, string? clientIp, string reason, string auditEvent = "mfa-api.token-refused");

    [LoggerMessage(1141, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} started to enroll {Factor} through the MFA API on client {ClientId}")]
    public static partial void AssociationStarted(this ILogger logger, string userId, string tenantId, string factor, string clientId, string auditEvent = "mfa-api.associate");

    [LoggerMessage(1142, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} removed the authenticator {AuthenticatorId} through the MFA API; {ForgottenBrowsers} remembered browser(s) forgotten")]
    public static partial void AuthenticatorRemoved(this ILogger logger, string userId, string tenantId, string authenticatorId, int forgottenBrowsers, string auditEvent = "mfa-api.authenticator-removed");

    [LoggerMessage(1143, LogLevel.Information, "Audit {AuditEvent}: user {UserId} of tenant {TenantId} got tokens through the {GrantType} grant on client {ClientId}")]
    public static partial void GrantSucceeded(this ILogger logger, string userId, string tenantId, string grantType, string clientId, string auditEvent = "mfa-api.tokens");
}
