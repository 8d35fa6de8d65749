using Microsoft.EntityFrameworkCore.Design;
using RulesMfa.Host.Storage.PostgreSql;

namespace RulesMfa.Host.Storage;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build each provider's model without starting the server, through the server's own
/// <see cref="DatabaseTarget"/>: <c>--context RulesMfaDbContext</c> for SQLite, <c>--context PostgreSqlDbContext</c> for
/// PostgreSQL (no database is needed to add a migration; <c>ConnectionStrings__RulesMfa</c> names one to update).
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<RulesMfaDbContext>, IDesignTimeDbContextFactory<PostgreSqlDbContext>
{
    public RulesMfaDbContext CreateDbContext(string[] args) => Target(StorageProvider.Sqlite, "Data Source=design-time.db").CreateContext();

    PostgreSqlDbContext IDesignTimeDbContextFactory<PostgreSqlDbContext>.CreateDbContext(string[] args) =>
        (PostgreSqlDbContext)Target(StorageProvider.PostgreSql, "Host=localhost;Database=rulesmfa-design-time").CreateContext();

    private static DatabaseTarget Target(StorageProvider provider, string defaultConnectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create(DatabaseTarget.ConnectionStringSetting, (string?)defaultConnectionString)])
            .AddEnvironmentVariables().Build();
        configuration[DatabaseTarget.ProviderSetting] = provider.ToString();
        return DatabaseTarget.From(configuration, new DataFolder(Path.GetTempPath()));
    }
}
