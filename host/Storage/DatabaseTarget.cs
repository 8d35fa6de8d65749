using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using RulesMfa.Host.Storage.PostgreSql;

namespace RulesMfa.Host.Storage;

/// <summary>
/// Which database, read from configuration once for the server, every CLI verb and design-time tooling:
/// <c>Storage:Provider</c> (<c>sqlite</c>, the default, or <c>postgresql</c>) and <c>ConnectionStrings:RulesMfa</c>
/// (for SQLite optional: <c>rulesmfa.db</c> in the data folder; for PostgreSQL required). Each provider has its own
/// context type, so its own migrations: SQLite's are those of <see cref="RulesMfaDbContext"/> (Storage/Migrations),
/// PostgreSQL's those of <see cref="PostgreSqlDbContext"/> (Storage/PostgreSql/Migrations).
/// </summary>
public sealed record DatabaseTarget(StorageProvider Provider, string ConnectionString)
{
    public const string ProviderSetting = "Storage:Provider";
    public const string ConnectionStringSetting = "ConnectionStrings:RulesMfa";

    /// <exception cref="InvalidSettingException">An unknown provider, or a PostgreSQL connection string missing or malformed.</exception>
    public static DatabaseTarget From(IConfiguration configuration, DataFolder folder)
    {
        var provider = configuration[ProviderSetting]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => StorageProvider.Sqlite,
            "postgresql" => StorageProvider.PostgreSql,
            var other => throw new InvalidSettingException(ProviderSetting, $"'{other}' is not a provider: use 'sqlite' (the default) or 'postgresql'"),
        };
        var connectionString = configuration.GetConnectionString("RulesMfa");
        if (provider == StorageProvider.Sqlite)
        {
            return new DatabaseTarget(provider, connectionString ?? folder.DefaultSqliteConnectionString);
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidSettingException(ConnectionStringSetting, "PostgreSQL needs a connection string, for example 'Host=db;Database=rulesmfa;Username=rulesmfa'");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException malformed)
        {
            // The message names the keyword at fault, never the connection string (it may hold a password).
            throw new InvalidSettingException(ConnectionStringSetting, $"not a PostgreSQL connection string: {malformed.Message}");
        }

        return new DatabaseTarget(provider, connectionString);
    }

    /// <summary>
    /// Where the database is, for a message: <c>in FOLDER</c> (SQLite's data folder), or <c>'DATABASE' on PostgreSQL HOST:PORT</c>
    /// (never the rest of the connection string: it may hold a password).
    /// </summary>
    public string Location(DataFolder folder)
    {
        if (Provider == StorageProvider.Sqlite)
        {
            return $"in {folder.Path}";
        }

        var connection = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"'{connection.Database}' on PostgreSQL {connection.Host}:{connection.Port}";
    }

    /// <summary>
    /// Registers the context as <see cref="RulesMfaDbContext"/>, whichever provider's type it is, pooled: a request
    /// rents a context whose services are set up once, instead of building its options and services anew (a sixth of the
    /// password page's time, half its allocation). The options, with any interceptors configured for them, are built once; a
    /// returned context's state is reset by EF Core (tracked entities, transaction, a connection left open is closed).
    /// </summary>
    public void AddDbContext(IServiceCollection services)
    {
        if (Provider == StorageProvider.PostgreSql)
        {
            services.AddDbContextPool<RulesMfaDbContext, PostgreSqlDbContext>(options => Configure(options));
        }
        else
        {
            SqliteDatabaseFile.Prepare(ConnectionString);
            services.AddDbContextPool<RulesMfaDbContext>(options => Configure(options));
        }
    }

    /// <summary>A context outside a service provider (a CLI verb, design-time tooling, a test); the caller disposes it.</summary>
    public RulesMfaDbContext CreateContext(params IInterceptor[] interceptors) => Provider == StorageProvider.PostgreSql
        ? new PostgreSqlDbContext(Configure(new DbContextOptionsBuilder<PostgreSqlDbContext>()).AddInterceptors(interceptors).Options)
        : new RulesMfaDbContext(Configure(new DbContextOptionsBuilder<RulesMfaDbContext>()).AddInterceptors(interceptors).Options);

    private TBuilder Configure<TBuilder>(TBuilder options)
        where TBuilder : DbContextOptionsBuilder
    {
        _ = Provider == StorageProvider.PostgreSql ? options.UseNpgsql(ConnectionString) : options.UseSqlite(ConnectionString);
        options.UseOpenIddict();
        // EF Core logs every failed command and save at Error, with a stack trace, before the caller sees the exception.
        // Lost insert races (two hosts creating one counter or one rule version) are handled where they happen, and an
        // error nobody handles is logged once where it ends (the server's exception handler, a CLI verb's message).
        options.ConfigureWarnings(warnings => warnings.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
        return options;
    }
}
