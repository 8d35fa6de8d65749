using Microsoft.Extensions.Configuration;
using RulesMfa.Host;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Storage.PostgreSql;

namespace RulesMfa.Tests.Storage;

/// <summary>The one place that reads which database to use, for the server, the CLI and design-time tooling.</summary>
public sealed class DatabaseTargetTests
{
    private static readonly DataFolder Folder = new("/srv/rulesmfa-data");

    [Test]
    public void From_NothingConfigured_IsTheSqliteFileInTheDataFolder()
    {
        var target = DatabaseTarget.From(Configuration(), Folder);

        Assert.Multiple(() =>
        {
            Assert.That(target.Provider, Is.EqualTo(StorageProvider.Sqlite));
            Assert.That(target.ConnectionString, Is.EqualTo("Data Source=/srv/rulesmfa-data/rulesmfa.db"));
        });
    }

    [Test]
    public void CreateContext_PostgreSql_IsThePostgreSqlContextType()
    {
        var target = DatabaseTarget.From(Configuration(("Storage:Provider", "PostgreSQL"), ("ConnectionStrings:RulesMfa", "Host=db;Database=rulesmfa")), Folder);

        using var context = target.CreateContext();

        Assert.That(context, Is.InstanceOf<PostgreSqlDbContext>(), "its own type, so PostgreSQL's own migrations");
    }

    [TestCase("mysql", "Storage:Provider: 'mysql' is not a provider: use 'sqlite' (the default) or 'postgresql'")]
    [TestCase("postgresql", "ConnectionStrings:RulesMfa: PostgreSQL needs a connection string, for example 'Host=db;Database=rulesmfa;Username=rulesmfa'")]
    public void From_UnusableSetting_NamesTheSettingAndTheFix(string provider, string message)
    {
        var error = Assert.Throws<InvalidSettingException>(() => DatabaseTarget.From(Configuration(("Storage:Provider", provider)), Folder));

        Assert.That(error!.Message, Is.EqualTo(message));
    }

    [Test]
    public void From_MalformedPostgreSqlConnectionString_NamesTheSettingButNotItsSecret()
    {
        var configuration = Configuration(("Storage:Provider", "postgresql"), ("ConnectionStrings:RulesMfa", "Host=db;Passwrd=hunter2-secret"));

        var error = Assert.Throws<InvalidSettingException>(() => DatabaseTarget.From(configuration, Folder));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("ConnectionStrings:RulesMfa: not a PostgreSQL connection string"));
            Assert.That(error.Message, Does.Not.Contain("hunter2-secret"));
        });
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value))).Build();
}
