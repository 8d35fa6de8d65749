using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RulesMfa.Host.Storage;

namespace RulesMfa.Tests.Support;

/// <summary>A real, migrated SQLite database file for one test, deleted afterwards.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    private readonly TempFolder folder = new();

    private SqliteTestDatabase() => ConnectionString = $"Data Source={System.IO.Path.Combine(folder.Path, "test.db")}";

    public string ConnectionString { get; }

    /// <summary>The folder the database file is in, for other files of the test.</summary>
    public string FolderPath => folder.Path;

    public static async Task<SqliteTestDatabase> CreateAsync()
    {
        var database = new SqliteTestDatabase();
        await using var context = database.NewContext();
        await context.Database.MigrateAsync();
        return database;
    }

    /// <summary>A new context on the database; one per simulated request or host.</summary>
    public RulesMfaDbContext NewContext(params IInterceptor[] interceptors) =>
        new(new DbContextOptionsBuilder<RulesMfaDbContext>().UseSqlite(ConnectionString).UseOpenIddict().AddInterceptors(interceptors).Options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
