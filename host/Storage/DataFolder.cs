namespace RulesMfa.Host.Storage;

/// <summary>
/// Where the server keeps its files: <c>Server:DataFolder</c>, default <c>data</c> under the working folder, created
/// owner-only (0700). Holds the SQLite database (unless <c>ConnectionStrings:RulesMfa</c> names another, or
/// <c>Storage:Provider</c> is PostgreSQL), the email outbox and <c>demo-credentials.txt</c>, each owner-only
/// (<see cref="OwnerOnlyFiles"/>).
/// </summary>
public sealed record DataFolder(string Path)
{
    /// <summary>The configured folder, created when missing (the server's first start).</summary>
    public static DataFolder From(IConfiguration configuration)
    {
        var folder = Locate(configuration);
        OwnerOnlyFiles.CreateFolder(folder.Path);
        return folder;
    }

    /// <summary>The configured folder, whether or not it exists (the CLI, which never makes one).</summary>
    public static DataFolder Locate(IConfiguration configuration) => new(System.IO.Path.GetFullPath(configuration["Server:DataFolder"] ?? "data"));

    /// <summary>The SQLite database when <c>ConnectionStrings:RulesMfa</c> names none (<see cref="DatabaseTarget"/>).</summary>
    public string DefaultSqliteConnectionString => $"Data Source={System.IO.Path.Combine(Path, "rulesmfa.db")}";
}
