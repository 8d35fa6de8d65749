using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RulesMfa.Host.Storage;

namespace RulesMfa.Tests.Support;

/// <summary>
/// A real, migrated database for one test, deleted afterwards: a SQLite file, or a database of the test run's PostgreSQL
/// cluster (<see cref="PostgreSqlCluster"/>). Fixtures that prove a storage guarantee take the provider from
/// <see cref="StorageProviders.Both"/>, so the same tests run on each.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly TempFolder folder;
    private readonly PostgreSqlCluster? cluster;

    private TestDatabase(TempFolder folder, DatabaseTarget target, PostgreSqlCluster? cluster)
    {
        this.folder = folder;
        Target = target;
        this.cluster = cluster;
    }

    /// <summary>The database as the server's configuration names it.</summary>
    public DatabaseTarget Target { get; }

    public string ConnectionString => Target.ConnectionString;

    /// <summary>A folder for other files of the test (on SQLite, the one the database file is in).</summary>
    public string FolderPath => folder.Path;

    /// <summary>The settings that point a server or a CLI verb at this database.</summary>
    public IReadOnlyList<string> ServerArguments =>
        ["--Storage:Provider", Target.Provider.ToString().ToLowerInvariant(), "--ConnectionStrings:RulesMfa", ConnectionString];

    /// <param name="provider">SQLite or PostgreSQL.</param>
    /// <param name="migrated">False for an empty database, as a server finds on its first start.</param>
    public static async Task<TestDatabase> CreateAsync(StorageProvider provider = StorageProvider.Sqlite, bool migrated = true)
    {
        if (provider == StorageProvider.PostgreSql)
        {
            // A copy of the cluster's migrated template.
            var cluster = await PostgreSqlCluster.StartedAsync();
            return new TestDatabase(new TempFolder(), new DatabaseTarget(provider, await cluster.CreateDatabaseAsync(migrated)), cluster);
        }

        var folder = new TempFolder();
        var database = new TestDatabase(folder, new DatabaseTarget(provider, $"Data Source={System.IO.Path.Combine(folder.Path, "test.db")}"), null);
        if (migrated)
        {
            await using var context = database.NewContext();
            await context.Database.MigrateAsync();
        }

        return database;
    }

    /// <summary>A new context on the database; one per simulated request or host.</summary>
    public RulesMfaDbContext NewContext(params IInterceptor[] interceptors) => Target.CreateContext(interceptors);

    public void Dispose()
    {
        if (cluster is not null)
        {
            cluster.DropDatabaseAsync(ConnectionString).GetAwaiter().GetResult();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }

        folder.Dispose();
    }
}
