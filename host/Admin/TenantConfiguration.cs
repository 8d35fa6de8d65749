using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Admin;

/// <summary>
/// One configuration value as the admin API shows it: a secret's value is never shown, only that it is set and when
/// (<paramref name="SetAt"/> is null for a value set before the time was kept).
/// </summary>
public sealed record ConfigurationEntry(string Name, bool Secret, string? Value, DateTimeOffset? SetAt);

/// <summary>
/// A tenant's rule configuration (<c>configuration</c> in Rules, <c>event.secrets</c> in Actions), encrypted at
/// rest with Data Protection as one document. Values marked secret are write-only: read back masked.
/// </summary>
public sealed partial class TenantConfiguration(RulesMfaDbContext database, IDataProtectionProvider protection, AuditTrail audit, TimeProvider clock)
{
    public const int MaxEntries = 100;
    public const int MaxValueLength = 8_192;

    private readonly IDataProtector protector = protection.CreateProtector("RulesMfa.TenantConfiguration.v1");

    /// <summary>The plain values, for the rules of real logins.</summary>
    public IReadOnlyDictionary<string, string> ValuesOf(TenantRecord tenant) =>
        Read(tenant).ToDictionary(pair => pair.Key, pair => pair.Value.Value);

    /// <summary>
    /// The values for console and test runs: a secret's value is replaced by <see cref="Placeholder"/>, so that no output,
    /// failure message or branch of a run can tell an admin anything about it; a test file or console request that needs a
    /// value gives its own.
    /// </summary>
    public IReadOnlyDictionary<string, string> ValuesForRuns(TenantRecord tenant) =>
        Read(tenant).ToDictionary(pair => pair.Key, pair => pair.Value.Secret ? Placeholder(pair.Key) : pair.Value.Value);

    /// <summary>What hides the secret values wherever they appear whole in what admins read of real logins.</summary>
    public SecretRedaction SecretsOf(TenantRecord tenant) =>
        new(Read(tenant).Where(pair => pair.Value.Secret).Select(pair => KeyValuePair.Create(pair.Key, pair.Value.Value)));

    /// <summary>
    /// What a rule sees of the secret <paramref name="name"/> outside real logins; at least 32 characters, so a rule that
    /// signs with it (<c>jwt</c> refuses shorter HMAC keys) still runs.
    /// </summary>
    public static string Placeholder(string name) => $"(secret {name}: only logins see its value)";

    public async Task<IReadOnlyList<ConfigurationEntry>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        return Read(tenant).OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new ConfigurationEntry(pair.Key, pair.Value.Secret, pair.Value.Secret ? null : pair.Value.Value, pair.Value.SetAt)).ToList();
    }

    /// <summary>Sets one value; returns what is wrong with the request, or null when it was saved.</summary>
    public async Task<FieldError?> SetAsync(string tenantId, string name, string? value, bool secret, Actor actor, CancellationToken cancellationToken)
    {
        if (!NamePattern().IsMatch(name))
        {
            return new FieldError("name", "use 1 to 64 letters, digits and underscores, not starting with a digit");
        }

        if (value is null || value.Length > MaxValueLength)
        {
            return new FieldError("value", $"a string of at most {MaxValueLength:N0} characters is required");
        }

        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var entries = Read(tenant);
        if (!entries.ContainsKey(name) && entries.Count >= MaxEntries)
        {
            return new FieldError("name", $"a tenant holds at most {MaxEntries} configuration values");
        }

        var oldHash = MaskedHash(entries);
        entries[name] = new StoredValue(value, secret, clock.GetUtcNow());
        Write(tenant, entries);
        audit.Record(tenantId, actor, "configuration.set", name, oldHash, MaskedHash(entries), secret ? "secret value set" : "value set");
        await database.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>Removes one value; false when there was none.</summary>
    public async Task<bool> RemoveAsync(string tenantId, string name, Actor actor, CancellationToken cancellationToken)
    {
        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var entries = Read(tenant);
        var oldHash = MaskedHash(entries);
        if (!entries.Remove(name))
        {
            return false;
        }

        Write(tenant, entries);
        audit.Record(tenantId, actor, "configuration.removed", name, oldHash, MaskedHash(entries));
        await database.SaveChangesAsync(cancellationToken);
        return true;
    }

    private Dictionary<string, StoredValue> Read(TenantRecord tenant)
    {
        var stored = tenant.ConfigurationJson;
        if (string.IsNullOrEmpty(stored))
        {
            return new Dictionary<string, StoredValue>(StringComparer.Ordinal);
        }

        // A tenant created before encryption holds a plain object of strings; its next change encrypts it.
        if (stored.StartsWith('{'))
        {
            var plain = JsonSerializer.Deserialize<Dictionary<string, string>>(stored) ?? [];
            return plain.ToDictionary(pair => pair.Key, pair => new StoredValue(pair.Value, false), StringComparer.Ordinal);
        }

        var entries = JsonSerializer.Deserialize<Dictionary<string, StoredValue>>(protector.Unprotect(stored)) ?? [];
        return new Dictionary<string, StoredValue>(entries, StringComparer.Ordinal);
    }

    private void Write(TenantRecord tenant, Dictionary<string, StoredValue> entries) =>
        tenant.ConfigurationJson = protector.Protect(JsonSerializer.Serialize(entries));

    /// <summary>A hash for the audit log over names, secrecy and non-secret values: a secret's value never enters it.</summary>
    private static string MaskedHash(Dictionary<string, StoredValue> entries)
    {
        var masked = new JsonObject();
        foreach (var (name, entry) in entries.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            masked[name] = entry.Secret ? "(secret)" : entry.Value;
        }

        return RulesMfa.Engine.Compilation.RuleCompiler.VersionHashOf(masked.ToJsonString());
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex NamePattern();

    private sealed record StoredValue(string Value, bool Secret, DateTimeOffset? SetAt = null);
}
