using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Mfa;

/// <summary>
/// <see cref="CodeAttempts"/> where the older tests stopped short: two hosts whose clocks disagree share one bucket, a
/// user never seen, a partly refilled bucket's wait. Real SQLite, clocks the tests move. Written for mutation testing
/// (TESTING.md).
/// </summary>
public sealed class MutationCodeAttemptsTests
{
    private const string UserId = "rulesmfa|ada";
    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;
    private RulesMfaDbContext database = null!;
    private CodeAttempts attempts = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync();
        clock = new ManualTimeProvider(Some.Now);
        database = store.NewContext();
        attempts = new CodeAttempts(database, clock);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task HostWhoseClockLags_NeitherRefillsTheBucketNorMovesItBackInTime()
    {
        await TakeAllAsync(attempts);
        await using var laggingDatabase = store.NewContext();
        var lagging = new CodeAttempts(laggingDatabase, new ManualTimeProvider(Some.Now - TimeSpan.FromMinutes(6)));

        var takenByTheLaggingHost = await lagging.TryTakeAsync(UserId, CancellationToken.None);
        await lagging.RefundAsync(UserId, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(6));
        var takenSixMinutesLater = await TakeAllAsync(attempts);

        Assert.Multiple(() =>
        {
            Assert.That(takenByTheLaggingHost, Is.False, "the lagging host's earlier time refills nothing");
            Assert.That(takenSixMinutesLater, Is.EqualTo(2), "the refunded attempt and one refilled since the bucket was emptied, not two");
        });
    }

    // A Stryker survivor of session 7: the refund's key condition made "or" gave every user's attempts back.
    [Test]
    public async Task Refund_OfAnotherUser_GivesThisUserNothingBack()
    {
        await TakeAllAsync(attempts);
        await attempts.TryTakeAsync("rulesmfa|other", CancellationToken.None);

        await attempts.RefundAsync("rulesmfa|other", CancellationToken.None);

        Assert.That(await attempts.TryTakeAsync(UserId, CancellationToken.None), Is.False);
    }

    [Test]
    public async Task RetryAfter_UserNeverSeen_IsNull() =>
        Assert.That(await attempts.RetryAfterAsync(UserId, CancellationToken.None), Is.Null);

    [Test]
    public async Task RetryAfter_OneTokenBack_IsNull()
    {
        await TakeAllAsync(attempts);
        clock.Advance(TimeSpan.FromMinutes(6));

        Assert.That(await attempts.RetryAfterAsync(UserId, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Refund_AfterAPartialRefill_AddsOneToTheFraction()
    {
        await TakeAllAsync(attempts);
        clock.Advance(TimeSpan.FromMinutes(3));

        await attempts.RefundAsync(UserId, CancellationToken.None);
        var taken = await attempts.TryTakeAsync(UserId, CancellationToken.None);
        var retryAfter = await attempts.RetryAfterAsync(UserId, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(taken, Is.True, "half a token refilled plus the refunded one");
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromMinutes(3)), "half a token left");
        });
    }

    private static async Task<int> TakeAllAsync(CodeAttempts from)
    {
        var taken = 0;
        while (taken <= 100 && await from.TryTakeAsync(UserId, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }
}
