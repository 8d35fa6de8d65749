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

    /// <summary>Whether the connection string's file is there (an in-memory database or a <c>file:</c> URI counts as there).</summary>
    public static bool Exists(string connectionString)
    {
        var settings = new SqliteConnectionStringBuilder(connectionString);
        return !IsPlainFile(settings) || File.Exists(Path.GetFullPath(settings.DataSource));
    }

    public static void Prepare(string connectionString)
    {
        var settings = new SqliteConnectionStringBuilder(connectionString);
        if (!IsPlainFile(settings))
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

    private static bool IsPlainFile(SqliteConnectionStringBuilder settings) =>
        settings.Mode != SqliteOpenMode.Memory && settings.DataSource is not ("" or ":memory:") && !settings.DataSource.StartsWith("file:", StringComparison.Ordinal);
}
