using Microsoft.EntityFrameworkCore;

namespace RulesMfa.Host.Storage;

/// <summary>The one registration of the database and the Data Protection key ring, shared by the server and the CLI.</summary>
internal static class StorageServices
{
    /// <summary>Also makes the SQLite file (owner-only) when it does not exist yet.</summary>
    /// <exception cref="InvalidSettingException">The key ring's certificate cannot be used.</exception>
    public static IServiceCollection AddRulesMfaStorage(this IServiceCollection services, IConfiguration configuration, DataFolder folder)
    {
        var connectionString = folder.ConnectionString(configuration);
        SqliteDatabaseFile.Prepare(connectionString);
        services.AddDbContext<RulesMfaDbContext>(options => options.UseSqlite(connectionString).UseOpenIddict());
        services.AddKeyRing(configuration);
        return services;
    }
}
