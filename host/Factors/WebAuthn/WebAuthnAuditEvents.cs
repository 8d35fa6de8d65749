namespace RulesMfa.Host.Factors.WebAuthn;

/// <summary>The WebAuthn factors' own audit events (the generic ones are in <c>Audit/AuditEvents</c>).</summary>
public static partial class WebAuthnAuditEvents
{
    [LoggerMessage(1035, LogLevel.Warning,
        "Audit {AuditEvent}: a {Factor} credential {CredentialRecordId} of user {UserId} of tenant {TenantId} answered with a signature counter that did not move forward, from {ClientIp}: refused as a cloned authenticator")]
    public static partial void WebAuthnCloned(this ILogger logger, string userId, string tenantId, string factor, long credentialRecordId, string? clientIp,
        string auditEvent = "mfa.webauthn-cloned");

    [LoggerMessage(1036, LogLevel.Warning,
        "Audit {AuditEvent}: user {UserId} of tenant {TenantId} answered a {Factor} challenge with a credential that is not theirs, from {ClientIp}")]
    public static partial void WebAuthnForeignCredential(this ILogger logger, string userId, string tenantId, string factor, string? clientIp,
        string auditEvent = "mfa.webauthn-foreign-credential");
}
