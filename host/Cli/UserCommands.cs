using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Admin.Users;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Cli;

/// <summary>
/// Support commands on the server's database (<c>--data-folder</c>, or <c>Server__DataFolder</c> /
/// <c>ConnectionStrings__RulesMfa</c> as for the server), the console's own support actions (<see cref="UserSupport"/>) by
/// the CLI: <c>user reset-mfa</c> removes every factor of a user, forgets their browsers and revokes their tokens, and
/// they enroll again at the next login; <c>user forget-browsers</c> revokes the user's remembered browsers. Both are audited,
/// with the CLI as the actor.
/// </summary>
internal static class UserCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant id.", Required = true };
        var email = new Option<string>("--email") { Description = "The user's email.", Required = true };
        var dataFolder = CliDatabase.DataFolderOption();

        var resetMfa = new Command("reset-mfa", "Remove every MFA factor of a user and revoke their tokens; they enroll again at their next login.") { tenant, email, dataFolder };
        resetMfa.SetAction((parsed, cancellationToken) => RunAsync(parsed, tenant, email, dataFolder, output, error, async (database, user) =>
        {
            var result = await database.Services.GetRequiredService<UserSupport>().ResetMfaAsync(user.TenantId, user, Actor.Cli(), cancellationToken);
            var nouns = database.Services.GetRequiredService<MfaFactors>().All.ToDictionary(factor => factor.Type, factor => factor.RemovedNoun);
            var removed = result.Removed.Select(factor => $"{factor.Count} {nouns[factor.Type]}").ToList();
            output.WriteLine($"Removed {string.Join(", ", removed[..^1])} and {removed[^1]}, forgot {result.BrowsersForgotten} browser(s) " +
                $"and revoked {result.TokensRevoked} token(s) of {user.Email}.");
        }, cancellationToken));

        var forgetBrowsers = new Command("forget-browsers", "Revoke every remembered browser of a user.") { tenant, email, dataFolder };
        forgetBrowsers.SetAction((parsed, cancellationToken) => RunAsync(parsed, tenant, email, dataFolder, output, error, async (database, user) =>
        {
            var browsers = await database.Services.GetRequiredService<UserSupport>().ForgetBrowsersAsync(user.TenantId, user, Actor.Cli(), cancellationToken);
            output.WriteLine($"Forgot {browsers} browser(s) of {user.Email}.");
        }, cancellationToken));

        return new Command("user", "Support actions on one user.") { resetMfa, forgetBrowsers };
    }

    private static async Task<int> RunAsync(
        ParseResult parsed, Option<string> tenant, Option<string> email, Option<string?> dataFolder, TextWriter output, TextWriter error,
        Func<CliDatabase, UserRecord, Task> action, CancellationToken cancellationToken)
    {
        await using var database = await CliDatabase.OpenAsync(parsed.GetValue(dataFolder), output, error, cancellationToken);
        if (database is null)
        {
            return CliExitCodes.UsageOrCompilation;
        }

        var normalized = parsed.GetValue(email)!.Trim().ToLowerInvariant();
        var tenantId = parsed.GetValue(tenant)!;
        var user = await database.Database.Users.SingleOrDefaultAsync(record => record.TenantId == tenantId && record.Email == normalized, cancellationToken);
        if (user is null)
        {
            error.WriteLine($"rulesmfa: no user '{normalized}' in tenant '{tenantId}' (database {database.Location})");
            return CliExitCodes.UsageOrCompilation;
        }

        await action(database, user);
        return CliExitCodes.Success;
    }
}
