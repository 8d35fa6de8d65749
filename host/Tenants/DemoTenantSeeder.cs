using RulesMfa.Engine.Compilation;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using RulesMfa.Host.Oidc;
using RulesMfa.Host.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.Tenants;

/// <summary>
/// Seeds the demo tenant on first start: tenant <c>demo</c>, user <c>demo@example.com</c> (an admin, so the
/// sample admin rule asks for MFA), confidential client <c>demo-web</c> for the sample app, and two sample
/// rules. The password and client secret come from <c>Demo:UserPassword</c> and <c>Demo:ClientSecret</c>, or
/// are generated and written to <c>demo-credentials.txt</c> in the data folder, readable by its owner only.
/// </summary>
public sealed class DemoTenantSeeder(
    RulesMfaDbContext database, IOpenIddictApplicationManager applications, IConfiguration configuration, DataFolder dataFolder,
    TimeProvider clock, ILogger<DemoTenantSeeder> logger)
{
    public const string TenantId = "demo";
    public const string ClientId = "demo-web";
    public const string UserEmail = "demo@example.com";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await database.Tenants.AnyAsync(tenant => tenant.Id == TenantId, cancellationToken))
        {
            return;
        }

        var password = configuration["Demo:UserPassword"];
        var secret = configuration["Demo:ClientSecret"];
        var generated = password is null || secret is null;
        password ??= NewSecret();
        secret ??= NewSecret();

        var now = clock.GetUtcNow();
        database.Tenants.Add(new TenantRecord { Id = TenantId, DisplayName = "Demo", CreatedAt = now, SettingsJson = new TenantSettings().ToJson() });
        var user = new UserRecord
        {
            Id = "rulesmfa|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            TenantId = TenantId,
            Email = UserEmail,
            EmailVerified = true,
            Name = "Demo User",
            PasswordHash = "",
            AppMetadataJson = JsonSerializer.Serialize(new { roles = new[] { "admin" } }),
            CreatedAt = now,
            UpdatedAt = now,
            IsAdmin = true,
        };
        user.PasswordHash = new PasswordHasher<UserRecord>().HashPassword(user, password);
        database.Users.Add(user);
        var order = 0;
        foreach (var name in typeof(DemoTenantSeeder).Assembly.GetManifestResourceNames().Where(name => name.StartsWith("demo-rules/", StringComparison.Ordinal)).Order())
        {
            using var reader = new StreamReader(typeof(DemoTenantSeeder).Assembly.GetManifestResourceStream(name)!);
            var ruleId = Path.GetFileNameWithoutExtension(name["demo-rules/".Length..]);
            var source = await reader.ReadToEndAsync(cancellationToken);
            var hash = RuleCompiler.VersionHashOf(source);
            database.Rules.Add(new RuleRecord
            {
                TenantId = TenantId, RuleId = ruleId, Source = source, Order = order += 10, Version = 1, VersionHash = hash, UpdatedAt = now,
            });
            database.RuleVersions.Add(new RuleVersionRecord
            {
                TenantId = TenantId, RuleId = ruleId, Version = 1, Source = source, VersionHash = hash, CreatedAt = now, CreatedBy = "system:seed",
            });
        }

        try
        {
            await database.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Hosts that start at once on one database each try to seed it: the first write wins, the others use its tenant.
            database.ChangeTracker.Clear();
            if (!await database.Tenants.AnyAsync(tenant => tenant.Id == TenantId, cancellationToken))
            {
                throw;
            }

            logger.LogInformation("Another host seeded the demo tenant");
            return;
        }

        await applications.CreateAsync(DemoClient(secret), cancellationToken);

        if (generated)
        {
            var file = Path.Combine(dataFolder.Path, "demo-credentials.txt");
            await OwnerOnlyFiles.WriteAllTextAsync(file, $"tenant: {TenantId}\nuser: {UserEmail}\npassword: {password}\nclient_id: {ClientId}\nclient_secret: {secret}\n", cancellationToken);

            logger.LogInformation("Seeded the demo tenant; its generated password and client secret are in {CredentialsFile}", file);
        }
        else
        {
            logger.LogInformation("Seeded the demo tenant with the password and client secret from configuration");
        }
    }

    /// <summary>A confidential web client of a tenant: code flow with PKCE, refresh tokens, logout.</summary>
    public static OpenIddictApplicationDescriptor WebClient(string tenant, string clientId, string secret, Uri redirectUri, Uri postLogoutRedirectUri)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = clientId,
            RedirectUris = { redirectUri },
            PostLogoutRedirectUris = { postLogoutRedirectUri },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile, Permissions.Scopes.Email, Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        descriptor.Properties[TenantClients.TenantProperty] = JsonSerializer.SerializeToElement(tenant);
        return descriptor;
    }

    private static OpenIddictApplicationDescriptor DemoClient(string secret) => WebClient(TenantId, ClientId, secret,
        new Uri("http://localhost:5002/signin-oidc"), new Uri("http://localhost:5002/signout-callback-oidc"));

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
