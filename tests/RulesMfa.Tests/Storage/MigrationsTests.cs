using Microsoft.EntityFrameworkCore;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Storage;

/// <summary>The migrations the server applies at start build exactly the model the code uses.</summary>
public sealed class MigrationsTests
{
    [Test]
    public async Task Migrations_OnAFreshDatabase_LeaveNoModelChangePending()
    {
        using var store = await SqliteTestDatabase.CreateAsync();
        await using var database = store.NewContext();

        var applied = await database.Database.GetAppliedMigrationsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(applied, Is.EqualTo(database.Database.GetMigrations()), "every migration applied, in order");
            Assert.That(database.Database.HasPendingModelChanges(), Is.False, "a model change without its migration");
        });
    }
}
