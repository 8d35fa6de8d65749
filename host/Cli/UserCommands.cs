using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using Serilog;

namespace RulesMfa.Host.Cli;

/// <summary>
/// Support commands on the server's database (<c>--data-folder</c>, or <c>Server__DataFolder</c> /
/// <c>ConnectionStrings__RulesMfa</c> as for the server): <c>user reset-mfa</c> removes every factor of a user (each registered factor removes its own),
/// who enrolls again at the next login; <c>user forget-browsers</c> revokes the user's remembered browsers. Both are audited.
/// </summary>
internal static class UserCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant id.", Required = true };
        var email = new Option<string>("--email") { Description = "The user's email.", Required = true };
        var dataFolder = new Option<string?>("--data-folder") { Description = "The server's data folder (default: Server__DataFolder or ./data)." };

        var resetMfa = new Command("reset-mfa", "Remove every MFA factor of a user; they enroll again at their next login.") { tenant, email, dataFolder };
        resetMfa.SetAction((parsed, cancellationToken) => RunAsync(parsed, tenant, email, dataFolder, output, error, async (database, user, clock, audit) =>
        {
            var removed = new List<string>();
            foreach (var factor in RegisteredFactors())
            {
                removed.Add($"{await factor.RemoveAllAsync(database, user.Id, cancellationToken)} {factor.RemovedNoun}");
            }

            var browsers = await new RememberedBrowsers(database, clock).ForgetAllAsync(user.Id, cancellationToken);
            audit.MfaReset(user.Id, user.TenantId, "cli");
            output.WriteLine($"Removed {string.Join(", ", removed[..^1])} and {removed[^1]}, and forgot {browsers} browser(s) of {user.Email}.");
        }, cancellationToken));

        var forgetBrowsers = new Command("forget-browsers", "Revoke every remembered browser of a user.") { tenant, email, dataFolder };
        forgetBrowsers.SetAction((parsed, cancellationToken) => RunAsync(parsed, tenant, email, dataFolder, output, error, async (database, user, clock, audit) =>
        {
            var browsers = await new RememberedBrowsers(database, clock).ForgetAllAsync(user.Id, cancellationToken);
            audit.RememberedBrowsersRevoked(browsers, user.Id, user.TenantId, "cli");
            output.WriteLine($"Forgot {browsers} browser(s) of {user.Email}.");
        }, cancellationToken));

        return new Command("user", "Support actions on one user.") { resetMfa, forgetBrowsers };
    }

    /// <summary>The server's factors, as it registers them.</summary>
    private static IReadOnlyList<IMfaFactor> RegisteredFactors() =>
        new ServiceCollection().AddMfaFactors().BuildServiceProvider().GetRequiredService<MfaFactors>().All;

    private static async Task<int> RunAsync(
        ParseResult parsed, Option<string> tenant, Option<string> email, Option<string?> dataFolderOption, TextWriter output, TextWriter error,
        Func<RulesMfaDbContext, UserRecord, TimeProvider, Microsoft.Extensions.Logging.ILogger, Task> action, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(
            parsed.GetValue(dataFolderOption) is { } folder ? [KeyValuePair.Create("Server:DataFolder", (string?)folder)] : []).Build();
        var dataFolder = DataFolder.From(configuration);
        DatabaseTarget target;
        try
        {
            target = DatabaseTarget.From(configuration, dataFolder);
        }
        catch (InvalidSettingException invalid)
        {
            error.WriteLine($"rulesmfa: {invalid.Message}");
            return CliExitCodes.UsageOrCompilation;
        }

        await using var database = target.CreateContext();
        if (!(await database.Database.GetAppliedMigrationsAsync(cancellationToken)).Any())
        {
            error.WriteLine($"rulesmfa: no RulesMfa database in {dataFolder.Path}: start the server once, or name its folder with --data-folder");
            return CliExitCodes.UsageOrCompilation;
        }

        var normalized = parsed.GetValue(email)!.Trim().ToLowerInvariant();
        var tenantId = parsed.GetValue(tenant)!;
        var user = await database.Users.SingleOrDefaultAsync(record => record.TenantId == tenantId && record.Email == normalized, cancellationToken);
        if (user is null)
        {
            error.WriteLine($"rulesmfa: no user '{normalized}' in tenant '{tenantId}' (database in {dataFolder.Path})");
            return CliExitCodes.UsageOrCompilation;
        }

        using var loggers = LoggerFactory.Create(logging => logging.AddSerilog(new LoggerConfiguration().WriteTo.Sink(new CliAuditSink(output)).CreateLogger(), dispose: true));
        await action(database, user, TimeProvider.System, loggers.CreateLogger("RulesMfa.Audit"));
        return CliExitCodes.Success;
    }
}
