using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Admin.Users;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using Serilog;

namespace RulesMfa.Host.Cli;

/// <summary>
/// The server's database for the verbs that work on it directly (the way back in when nobody can sign in):
/// <c>--data-folder</c>, or <c>Server__DataFolder</c> / <c>ConnectionStrings__RulesMfa</c> as for the server.
/// Its services are the server's own (Data Protection keys, OpenIddict's managers, <see cref="RuleStore"/>,
/// <see cref="AuditTrail"/>, <see cref="UserSupport"/>), and audit events are printed on the verb's output.
/// </summary>
internal sealed class CliDatabase(ServiceProvider services, AsyncServiceScope scope, string location) : IAsyncDisposable
{
    public static Option<string?> DataFolderOption() =>
        new("--data-folder") { Description = "The server's data folder (default: Server__DataFolder or ./data, as for the server); never created." };

    /// <summary>Where the database is, for messages: <c>in FOLDER</c>, or <c>'DATABASE' on PostgreSQL HOST:PORT</c>.</summary>
    public string Location { get; } = location;

    public IServiceProvider Services => scope.ServiceProvider;

    public RulesMfaDbContext Database => Services.GetRequiredService<RulesMfaDbContext>();

    /// <summary>Opens the database, or writes why it cannot and returns null.</summary>
    public static async Task<CliDatabase?> OpenAsync(string? dataFolder, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(
            dataFolder is null ? [] : [KeyValuePair.Create("Server:DataFolder", (string?)dataFolder)]).Build();
        // The server's folder, never a new one: a verb run in the wrong folder must not leave an empty database behind.
        var folder = DataFolder.Locate(configuration);
        var services = new ServiceCollection();
        DatabaseTarget target;
        try
        {
            target = DatabaseTarget.From(configuration, folder);
            if (target.Provider == StorageProvider.Sqlite && !SqliteDatabaseFile.Exists(target.ConnectionString))
            {
                error.WriteLine($"rulesmfa: no RulesMfa database {target.Location(folder)} (--data-folder, else Server__DataFolder, else ./data): " +
                    "start the server once, or name its folder with --data-folder; nothing was created");
                return null;
            }

            services.AddRulesMfaStorage(configuration, folder);
        }
        catch (InvalidSettingException invalid)
        {
            error.WriteLine($"rulesmfa: {invalid.Message}");
            return null;
        }

        services
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddLogging(logging => logging.AddSerilog(new LoggerConfiguration()
                .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("OpenIddict", Serilog.Events.LogEventLevel.Warning)
                .WriteTo.Sink(new CliAuditSink(output)).CreateLogger(), dispose: true))
            .AddScoped<AuditTrail>().AddScoped<TenantConfiguration>().AddScoped<RuleStore>()
            .AddMfaFactors().AddScoped<RememberedBrowsers>().AddUserSupport()
            .AddSandboxBounds(configuration);
        services.AddOpenIddict().AddCore(core => core.UseEntityFrameworkCore().UseDbContext<RulesMfaDbContext>());

        if (await DatabaseReachability.ProblemAsync(target, folder, cancellationToken) is { } unreachable)
        {
            error.WriteLine($"rulesmfa: {unreachable}");
            return null;
        }

        var provider = services.BuildServiceProvider();
        var scope = provider.CreateAsyncScope();
        var database = new CliDatabase(provider, scope, target.Location(folder));
        if (!(await database.Database.Database.GetAppliedMigrationsAsync(cancellationToken)).Any())
        {
            error.WriteLine(target.Provider == StorageProvider.PostgreSql
                ? $"rulesmfa: no RulesMfa database {database.Location}: start the server once on it, or name another with ConnectionStrings__RulesMfa"
                : $"rulesmfa: no RulesMfa database {database.Location}: start the server once, or name its folder with --data-folder");
            await database.DisposeAsync();
            return null;
        }

        output.WriteLine($"Database {database.Location}.");
        return database;
    }

    /// <summary>Whether the tenant exists; when not, says so on <paramref name="error"/>.</summary>
    public async Task<bool> TenantExistsAsync(string tenantId, TextWriter error, CancellationToken cancellationToken)
    {
        if (await Database.Tenants.AnyAsync(tenant => tenant.Id == tenantId, cancellationToken))
        {
            return true;
        }

        error.WriteLine($"rulesmfa: no tenant '{tenantId}' (database {Location})");
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        await services.DisposeAsync();
    }
}
