using RulesMfa.Host.Factors.Duo;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Factors.Duo;

/// <summary>
/// The states of trips to Duo on real SQLite: single use even when two callbacks race (both held behind a
/// <see cref="ReadBarrier"/> after reading the state), bound to the user and the transaction, and short-lived.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class DuoStatesTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|duo-states";
    private const string RequestHash = "request-hash-1";
    private readonly ManualTimeProvider clock = ManualTimeProvider.AtUnixSeconds(1_800_000_000);
    private TestDatabase store = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using var database = store.NewContext();
        database.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
        database.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = "u@example.com", PasswordHash = "x" });
        database.Users.Add(new UserRecord { Id = "rulesmfa|other", TenantId = "t", Email = "o@example.com", PasswordHash = "x" });
        await database.SaveChangesAsync();
    }

    [TearDown]
    public void DeleteDatabase() => store.Dispose();

    [Test]
    public async Task Take_TwoCallbacksWithOneStateAtOnce_OnlyOneTakesIt()
    {
        var state = await IssueAsync();
        var barrier = new ReadBarrier(2, "DuoStates");

        var refusals = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var database = store.NewContext(barrier.ForOneParticipant());
            return await new DuoStates(database, clock).TakeAsync(state, UserId, RequestHash, CancellationToken.None);
        }));

        Assert.Multiple(() =>
        {
            Assert.That(refusals.Count(refusal => refusal is null), Is.EqualTo(1), "one callback goes on");
            Assert.That(refusals.OfType<string>().Single(), Is.EqualTo("state already used (a replayed answer)"));
        });
    }

    [Test]
    public async Task Take_StateOfAnotherUserOrTransaction_IsRefusedAndStaysUsable()
    {
        var state = await IssueAsync();
        await using var database = store.NewContext();
        var states = new DuoStates(database, clock);

        var otherUser = await states.TakeAsync(state, "rulesmfa|other", RequestHash, CancellationToken.None);
        var otherTransaction = await states.TakeAsync(state, UserId, "request-hash-2", CancellationToken.None);
        var own = await states.TakeAsync(state, UserId, RequestHash, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(otherUser, Is.EqualTo("state of another sign-in"));
            Assert.That(otherTransaction, Is.EqualTo("state of another sign-in"));
            Assert.That(own, Is.Null, "a refused attempt does not use up the owner's state");
        });
    }

    [Test]
    public async Task Take_AfterTenMinutes_IsRefusedAsExpired()
    {
        var state = await IssueAsync();
        await using var database = store.NewContext();
        clock.Advance(DuoStates.Lifetime);

        var refusal = await new DuoStates(database, clock).TakeAsync(state, UserId, RequestHash, CancellationToken.None);

        Assert.That(refusal, Is.EqualTo("state expired"));
    }

    [Test]
    public async Task Issue_AfterStatesExpired_RemovesThem()
    {
        await IssueAsync();
        clock.Advance(DuoStates.Lifetime);
        var fresh = await IssueAsync();
        await using var database = store.NewContext();

        var remaining = database.Set<DuoStateRecord>().Count();
        var freshTaken = await new DuoStates(database, clock).TakeAsync(fresh, UserId, RequestHash, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(remaining, Is.EqualTo(1), "only the fresh state is left");
            Assert.That(freshTaken, Is.Null);
        });
    }

    [Test]
    public async Task Issue_State_Is36CharactersAndStoredOnlyAsItsHash()
    {
        var state = await IssueAsync();
        await using var database = store.NewContext();

        var stored = database.Set<DuoStateRecord>().Single();

        Assert.Multiple(() =>
        {
            Assert.That(state, Has.Length.EqualTo(36));
            Assert.That(stored.StateHash, Is.Not.EqualTo(state).And.Length.EqualTo(64));
        });
    }

    private async Task<string> IssueAsync()
    {
        await using var database = store.NewContext();
        return await new DuoStates(database, clock).IssueAsync(UserId, RequestHash, CancellationToken.None);
    }
}
