using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Cli;

/// <summary><c>rulesmfa tenant create NAME [--display-name TEXT] [--data-folder DIR]</c>: a new tenant with default settings, audited.</summary>
internal static partial class TenantCommand
{
    /// <summary>Paths the host serves itself; a tenant of that name could never be reached.</summary>
    private static readonly string[] ReservedNames = ["health", "ready", "metrics"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var name = new Argument<string>("NAME") { Description = "The tenant id, the path segment of its issuer: lower-case letters, digits and dashes." };
        var displayName = new Option<string?>("--display-name") { Description = "The name shown on the tenant's pages (default: NAME)." };
        var dataFolder = CliDatabase.DataFolderOption();

        var create = new Command("create", "Create a tenant with the default MFA settings (no users, clients or rules yet).") { name, displayName, dataFolder };
        create.SetAction(async (parsed, cancellationToken) =>
        {
            var tenantId = parsed.GetValue(name)!;
            if (Problem(tenantId) is { } problem)
            {
                error.WriteLine($"rulesmfa: tenant name '{tenantId}' {problem}");
                return CliExitCodes.UsageOrCompilation;
            }

            await using var database = await CliDatabase.OpenAsync(parsed.GetValue(dataFolder), output, error, cancellationToken);
            if (database is null)
            {
                return CliExitCodes.UsageOrCompilation;
            }

            if (await database.Database.Tenants.AnyAsync(tenant => tenant.Id == tenantId, cancellationToken))
            {
                error.WriteLine($"rulesmfa: tenant '{tenantId}' already exists (database {database.Location})");
                return CliExitCodes.UsageOrCompilation;
            }

            var display = parsed.GetValue(displayName) ?? tenantId;
            database.Database.Tenants.Add(new TenantRecord
            {
                Id = tenantId, DisplayName = display, SettingsJson = new TenantSettings().ToJson(),
                CreatedAt = database.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
            });
            database.Services.GetRequiredService<AuditTrail>().Record(tenantId, Actor.Cli(), "tenant.created", tenantId, detail: $"display name \"{display}\"");
            await database.Database.SaveChangesAsync(cancellationToken);
            output.WriteLine($"Created tenant '{tenantId}' (issuer path /{tenantId}). Next: rulesmfa admin create --tenant {tenantId} --email ADDRESS");
            return CliExitCodes.Success;
        });

        return new Command("tenant", "Manage tenants on the server's database.") { create };
    }

    private static string? Problem(string tenantId) =>
        !TenantNamePattern().IsMatch(tenantId) ? "is not valid: use 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit"
        : ReservedNames.Contains(tenantId) ? "is reserved: the host serves that path itself"
        : null;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex TenantNamePattern();
}
