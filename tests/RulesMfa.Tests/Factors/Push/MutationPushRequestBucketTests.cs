using RulesMfa.Host.Factors.Push;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Factors.Push;

/// <summary>
/// <see cref="PushRequestBucket"/> per user: one user's sign-ins using up their push requests leave every other user's
/// untouched, and the one refused is told when the next request is allowed. Real SQLite, a clock the test moves.
/// Written for mutation testing (TESTING.md).
/// </summary>
public sealed class MutationPushRequestBucketTests
{
    private readonly ManualTimeProvider clock = ManualTimeProvider.AtUnixSeconds(1_800_000_000);
    private TestDatabase store = null!;
    private RulesMfaDbContext database = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync();
        database = store.NewContext();
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task OneUsersBurst_LeavesAnotherUsersRequestsUntouched()
    {
        var bucket = new PushRequestBucket(database, clock);
        var mallory = new List<DateTimeOffset?>();
        for (var request = 0; request <= PushRequestBucket.Burst; request++)
        {
            mallory.Add(await bucket.TryTakeAsync("rulesmfa|mallory", CancellationToken.None));
        }

        var ada = await bucket.TryTakeAsync("rulesmfa|ada", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(mallory.Take(PushRequestBucket.Burst), Is.All.Null, "a burst of 5");
            Assert.That(mallory[^1], Is.EqualTo(clock.Now + PushRequestBucket.RefillInterval), "the sixth told when the next comes");
            Assert.That(ada, Is.Null, "another user's first request goes through");
        });
    }
}
