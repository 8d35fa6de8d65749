namespace RulesMfa.Host.Storage;

/// <summary>A user of one tenant, with the profile fields rules read.</summary>
public sealed class UserRecord
{
    /// <summary>Globally unique, Auth0-style: <c>rulesmfa|&lt;hex&gt;</c>.</summary>
    public required string Id { get; set; }

    public required string TenantId { get; set; }

    /// <summary>Lower-cased; unique within the tenant.</summary>
    public required string Email { get; set; }

    public bool EmailVerified { get; set; }

    public string? Name { get; set; }

    /// <summary>ASP.NET Core Identity's <c>PasswordHasher</c> format.</summary>
    public required string PasswordHash { get; set; }

    public string AppMetadataJson { get; set; } = "{}";

    public string UserMetadataJson { get; set; } = "{}";

    public int LoginsCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastLogin { get; set; }

    /// <summary>The admin role: may sign in to the tenant's admin area and API (always with MFA).</summary>
    public bool IsAdmin { get; set; }

    /// <summary>
    /// When the user's MFA was last reset: a session whose password came earlier, and an access token or <c>mfa_token</c>
    /// issued earlier, are over (a stolen laptop's session must not enroll the thief's factor); null when never reset.
    /// </summary>
    public DateTimeOffset? SessionsValidFrom { get; set; }
}
