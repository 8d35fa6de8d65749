namespace RulesMfa.Host.Storage;

/// <summary>The one registration of the database and the Data Protection key ring, shared by the server and the CLI.</summary>
internal static class StorageServices
{
    /// <summary>
    /// The database <see cref="DatabaseTarget"/> reads from configuration; on SQLite also makes the file (owner-only) when it
    /// does not exist yet.
    /// </summary>
    /// <exception cref="InvalidSettingException">The provider or connection string, or the key ring's certificate, cannot be used.</exception>
    public static IServiceCollection AddRulesMfaStorage(this IServiceCollection services, IConfiguration configuration, DataFolder folder)
    {
        DatabaseTarget.From(configuration, folder).AddDbContext(services);
        services.AddKeyRing(configuration);
        return services;
    }
}
