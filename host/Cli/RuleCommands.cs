using System.CommandLine;
using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa rule disable|enable --tenant T --rule R [--data-folder DIR]</c>, directly on the database through
/// <see cref="RuleStore"/> (audited <c>rule.disabled</c> / <c>rule.enabled</c>): the way back in when a bad rule
/// denies every login, the admins' included.
/// </summary>
internal static class RuleCommands
{
    public static Command Create(TextWriter output, TextWriter error) =>
        new("rule", "Enable or disable a tenant's rule on the server's database.")
        {
            StateCommand("disable", enabled: false, "Disable a rule: logins no longer run it (its versions stay).", output, error),
            StateCommand("enable", enabled: true, "Enable a rule again: logins run it in its order.", output, error),
        };

    private static Command StateCommand(string name, bool enabled, string description, TextWriter output, TextWriter error)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant id.", Required = true };
        var rule = new Option<string>("--rule") { Description = "The rule id (its file name without .js).", Required = true };
        var dataFolder = CliDatabase.DataFolderOption();
        var command = new Command(name, description) { tenant, rule, dataFolder };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var database = await CliDatabase.OpenAsync(parsed.GetValue(dataFolder), output, error, cancellationToken);
            var tenantId = parsed.GetValue(tenant)!;
            if (database is null || !await database.TenantExistsAsync(tenantId, error, cancellationToken))
            {
                return CliExitCodes.UsageOrCompilation;
            }

            var ruleId = parsed.GetValue(rule)!;
            var store = database.Services.GetRequiredService<RuleStore>();
            var wasEnabled = (await store.GetAsync(tenantId, ruleId, cancellationToken))?.Enabled;
            if (await store.SetStateAsync(tenantId, ruleId, order: null, enabled, Actor.Cli(), cancellationToken) is not { } saved)
            {
                error.WriteLine($"rulesmfa: no rule '{ruleId}' in tenant '{tenantId}' (database {database.Location})");
                return CliExitCodes.UsageOrCompilation;
            }

            output.WriteLine(wasEnabled == enabled
                ? $"Rule '{saved.Id}' of tenant '{tenantId}' was already {name}d; nothing changed."
                : $"Rule '{saved.Id}' of tenant '{tenantId}' is {name}d (version {saved.Version}, {saved.VersionHash}).");
            return CliExitCodes.Success;
        });
        return command;
    }
}
