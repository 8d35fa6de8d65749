using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// A tenant's phone sender secrets (the Twilio auth token, the webhook key): write-only fields of the settings, kept out of
/// the settings' JSON and stored encrypted with Data Protection (<see cref="PhoneSenderSecretRecord"/>), as the rules'
/// secret configuration is. No API reads them back; a change records which secret was set, never its value.
/// </summary>
public sealed class PhoneSenderSecrets(RulesMfaDbContext database, IDataProtectionProvider protection, AuditTrail audit) : IWriteOnlySettings
{
    private readonly IDataProtector protector = protection.CreateProtector("RulesMfa.PhoneSenderSecrets.v1");

    /// <summary>The tenant's stored secrets; empty when none was ever set.</summary>
    public async Task<StoredSecrets> ReadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var record = await database.Set<PhoneSenderSecretRecord>().AsNoTracking().SingleOrDefaultAsync(secret => secret.TenantId == tenantId, cancellationToken);
        return record is null ? new StoredSecrets(null, null) : JsonSerializer.Deserialize<StoredSecrets>(protector.Unprotect(record.Protected))!;
    }

    public async Task<FieldError?> KeepSecretsAsync(string tenantId, TenantSettings settings, Actor actor, CancellationToken cancellationToken)
    {
        var phone = settings.Phone;
        var stored = await ReadAsync(tenantId, cancellationToken);
        var kept = new StoredSecrets(phone.Twilio.AuthToken ?? stored.TwilioAuthToken, phone.Webhook.Secret ?? stored.WebhookSecret);
        if (phone.Sender == PhoneSenderKind.Twilio && kept.TwilioAuthToken is null)
        {
            return new FieldError("phone.twilio.authToken", "is required for the twilio sender (it is write-only: give it once, it is kept)");
        }

        if (phone.Sender == PhoneSenderKind.Webhook && kept.WebhookSecret is null)
        {
            return new FieldError("phone.webhook.secret", "is required for the webhook sender (it is write-only: give it once, it is kept)");
        }

        if (kept != stored)
        {
            await StageAsync(tenantId, kept, cancellationToken);
            var which = string.Join(", ", new[] { ("phone.twilio.authToken", phone.Twilio.AuthToken), ("phone.webhook.secret", phone.Webhook.Secret) }
                .Where(secret => secret.Item2 is not null).Select(secret => secret.Item1));
            audit.Record(tenantId, actor, "settings.secret-set", which, detail: "write-only value set");
        }

        phone.Twilio.AuthToken = null;
        phone.Webhook.Secret = null;
        return null;
    }

    private async Task StageAsync(string tenantId, StoredSecrets secrets, CancellationToken cancellationToken)
    {
        var protectedJson = protector.Protect(JsonSerializer.Serialize(secrets));
        var record = await database.Set<PhoneSenderSecretRecord>().SingleOrDefaultAsync(secret => secret.TenantId == tenantId, cancellationToken);
        if (record is null)
        {
            database.Add(new PhoneSenderSecretRecord { TenantId = tenantId, Protected = protectedJson });
        }
        else
        {
            record.Protected = protectedJson;
        }
    }

    /// <summary>The stored secrets of one tenant; a null one was never set.</summary>
    public sealed record StoredSecrets(string? TwilioAuthToken, string? WebhookSecret);
}
