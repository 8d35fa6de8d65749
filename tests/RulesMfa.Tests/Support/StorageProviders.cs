using RulesMfa.Host.Storage;

namespace RulesMfa.Tests.Support;

/// <summary>The providers a storage fixture runs on: <c>[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]</c>.</summary>
internal static class StorageProviders
{
    public static readonly StorageProvider[] Both = [StorageProvider.Sqlite, StorageProvider.PostgreSql];
}
