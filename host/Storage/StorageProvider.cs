namespace RulesMfa.Host.Storage;

/// <summary>The database RulesMfa keeps its state in (<c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>A SQLite file in the data folder (the default): one host.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database named by <c>ConnectionStrings:RulesMfa</c>: one or several hosts.</summary>
    PostgreSql,
}
