using Microsoft.Data.Sqlite;

namespace RulesMfa.Host.Storage;

/// <summary>
/// Makes a connection string's SQLite file before SQLite opens it, so the database is owner-only (0600) from its first
/// byte; SQLite gives its journal, WAL and shared-memory files the database file's mode. In-memory databases and
/// <c>file:</c> URIs are left to SQLite.
/// </summary>
internal static class SqliteDatabaseFile
{
    private static readonly string[] CompanionSuffixes = ["-journal", "-wal", "-shm"];

    public static void Prepare(string connectionString)
    {
        var settings = new SqliteConnectionStringBuilder(connectionString);
        if (settings.Mode == SqliteOpenMode.Memory || settings.DataSource is "" or ":memory:" || settings.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            return;
        }

        var path = Path.GetFullPath(settings.DataSource);
        foreach (var suffix in CompanionSuffixes)
        {
            OwnerOnlyFiles.Narrow(path + suffix);
        }

        if (!OwnerOnlyFiles.CreateOrNarrow(path))
        {
            return;
        }

        // EF Core puts a database it creates in WAL mode, but it creates only a file that does not exist yet.
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var walMode = connection.CreateCommand();
        walMode.CommandText = "PRAGMA journal_mode = 'wal';";
        walMode.ExecuteNonQuery();
    }
}
