namespace RulesMfa.Host.Storage;

/// <summary>A tenant: its own issuer (<c>/{Id}</c>), users, clients, rules, configuration and MFA settings.</summary>
public sealed class TenantRecord
{
    /// <summary>The path segment of the tenant's issuer: lower-case letters, digits and dashes.</summary>
    public required string Id { get; set; }

    /// <summary>The tenant's friendly name, shown on every hosted page and as the authenticator apps' issuer label.</summary>
    public required string DisplayName { get; set; }

    /// <summary>An absolute https URL of the tenant's logo, shown on the hosted pages; none when null.</summary>
    public string? LogoUrl { get; set; }

    /// <summary>The hosted pages' accent colour (<c>#rrggbb</c>), or null for the default.</summary>
    public string? BrandColor { get; set; }

    /// <summary>A Liquid layout around the hosted pages' content (<c>{{ content }}</c>), or null for the default page.</summary>
    public string? PageTemplate { get; set; }

    /// <summary>The tenant's MFA settings as JSON (<see cref="Tenants.TenantSettings"/>).</summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>
    /// The rules' <c>configuration</c>, encrypted with Data Protection (<see cref="Admin.TenantConfiguration"/>); a
    /// plain JSON object of strings only in a tenant created before encryption, until its next change.
    /// </summary>
    public string ConfigurationJson { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }
}
