using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Storage;

/// <summary>The migrations the server applies at start build exactly the model the code uses.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class MigrationsTests(StorageProvider provider)
{
    [Test]
    public async Task Migrations_OnAFreshDatabase_LeaveNoModelChangePending()
    {
        using var store = await TestDatabase.CreateAsync(provider);
        await using var database = store.NewContext();

        var applied = await database.Database.GetAppliedMigrationsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(applied, Is.EqualTo(database.Database.GetMigrations()), "every migration applied, in order");
            Assert.That(database.Database.HasPendingModelChanges(), Is.False, "a model change without its migration");
        });
    }
}
