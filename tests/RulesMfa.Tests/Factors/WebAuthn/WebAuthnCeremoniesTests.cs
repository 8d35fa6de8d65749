using RulesMfa.Host.Factors.WebAuthn;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Factors.WebAuthn;

/// <summary>A WebAuthn ceremony's challenge is single use, expires, and belongs to its user and purpose.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class WebAuthnCeremoniesTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|ceremonies";
    private const string Purpose = "get:webauthn-roaming";
    private readonly ManualTimeProvider clock = ManualTimeProvider.AtUnixSeconds(1_800_000_000);
    private TestDatabase store = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using var database = store.NewContext();
        database.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
        database.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = "u@example.com", PasswordHash = "x" });
        database.Users.Add(new UserRecord { Id = "rulesmfa|someone-else", TenantId = "t", Email = "e@example.com", PasswordHash = "x" });
        await database.SaveChangesAsync();
    }

    [TearDown]
    public void DeleteDatabase() => store.Dispose();

    [Test]
    public async Task Take_Twice_GivesTheOptionsOnlyOnce()
    {
        var id = await StartAsync();

        var first = await TakeAsync(UserId, id, Purpose);
        var second = await TakeAsync(UserId, id, Purpose);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("{\"challenge\":\"abc\"}"));
            Assert.That(second, Is.Null, "a challenge answers once");
        });
    }

    [Test]
    public async Task Take_AfterFiveMinutes_IsRefusedAndUsedUp()
    {
        var id = await StartAsync();
        clock.Advance(WebAuthnCeremonies.Lifetime);

        var late = await TakeAsync(UserId, id, Purpose);
        clock.Advance(-WebAuthnCeremonies.Lifetime);
        var again = await TakeAsync(UserId, id, Purpose);

        Assert.Multiple(() =>
        {
            Assert.That(late, Is.Null, "an expired challenge is refused");
            Assert.That(again, Is.Null, "and it was deleted on the way");
        });
    }

    [TestCase("rulesmfa|someone-else", Purpose)]
    [TestCase(UserId, "create:webauthn-roaming")]
    [TestCase(UserId, "get:webauthn-platform")]
    public async Task Take_ByAnotherUserOrForAnotherPurpose_IsRefusedAndLeavesItOpen(string userId, string purpose)
    {
        var id = await StartAsync();

        var wrong = await TakeAsync(userId, id, purpose);
        var right = await TakeAsync(UserId, id, Purpose);

        Assert.Multiple(() =>
        {
            Assert.That(wrong, Is.Null);
            Assert.That(right, Is.Not.Null, "the user's own answer still counts");
        });
    }

    [Test]
    public async Task Take_ConcurrentAnswersToOneChallenge_OnlyOneGetsTheOptions()
    {
        var id = await StartAsync();
        using var barrier = new Barrier(8);

        // Each answer starts on a thread of its own, so the eight blocked at the barrier never wait for the thread pool to grow.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(async () =>
        {
            barrier.SignalAndWait();
            return await TakeAsync(UserId, id, Purpose);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

        Assert.That(answers.Count(answer => answer is not null), Is.EqualTo(1));
    }

    private async Task<long> StartAsync()
    {
        await using var database = store.NewContext();
        return await new WebAuthnCeremonies(database, clock).StartAsync(UserId, Purpose, "{\"challenge\":\"abc\"}", CancellationToken.None);
    }

    private async Task<string?> TakeAsync(string userId, long id, string purpose)
    {
        await using var database = store.NewContext();
        return await new WebAuthnCeremonies(database, clock).TakeAsync(userId, id, purpose, CancellationToken.None);
    }
}
