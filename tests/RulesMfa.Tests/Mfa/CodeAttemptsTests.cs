using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Mfa;

/// <summary>The wrong-code bucket on a real database (SQLite and PostgreSQL) with a clock the tests move.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class CodeAttemptsTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|ada";
    private const string OtherUserId = "rulesmfa|grace";
    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;
    private RulesMfaDbContext database = null!;
    private CodeAttempts attempts = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        clock = new ManualTimeProvider(Some.Now);
        database = NewContext();
        attempts = new CodeAttempts(database, clock);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task TryTake_FreshUser_AllowsTenThenRefuses()
    {
        var results = new List<bool>();

        for (var i = 0; i < 11; i++)
        {
            results.Add(await attempts.TryTakeAsync(UserId, CancellationToken.None));
        }

        Assert.That(results, Is.EqualTo(Enumerable.Repeat(true, 10).Append(false)));
    }

    [Test]
    public async Task TryTake_SixMinutesAfterEmptying_AllowsExactlyOne()
    {
        await EmptyBucketAsync(UserId);
        clock.Advance(TimeSpan.FromMinutes(6));

        var first = await attempts.TryTakeAsync(UserId, CancellationToken.None);
        var second = await attempts.TryTakeAsync(UserId, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.True);
            Assert.That(second, Is.False);
        });
    }

    [Test]
    public async Task TryTake_JustUnderSixMinutesAfterEmptying_IsRefused()
    {
        await EmptyBucketAsync(UserId);
        clock.Advance(TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(1));

        var taken = await attempts.TryTakeAsync(UserId, CancellationToken.None);

        Assert.That(taken, Is.False);
    }

    [Test]
    public async Task TryTake_SixtyMinutesAfterEmptying_AllowsTenAgain()
    {
        await EmptyBucketAsync(UserId);
        clock.Advance(TimeSpan.FromMinutes(60));

        var taken = await TakeUntilRefusedAsync(UserId);

        Assert.That(taken, Is.EqualTo(10));
    }

    [Test]
    public async Task TryTake_LongIdleAfterEmptying_RefillsNoMoreThanTheCapacity()
    {
        await EmptyBucketAsync(UserId);
        clock.Advance(TimeSpan.FromDays(3));

        var taken = await TakeUntilRefusedAsync(UserId);

        Assert.That(taken, Is.EqualTo(10));
    }

    [Test]
    public async Task TryTake_PartlyRefilledBucket_KeepsTheFraction()
    {
        await EmptyBucketAsync(UserId);
        clock.Advance(TimeSpan.FromMinutes(9));
        await attempts.TryTakeAsync(UserId, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(3));

        var taken = await attempts.TryTakeAsync(UserId, CancellationToken.None);

        Assert.That(taken, Is.True, "half a token left at 9 minutes plus half refilled by 12 minutes make one");
    }

    [Test]
    public async Task Refund_AfterRightCode_GivesTheAttemptBack()
    {
        await EmptyBucketAsync(UserId);

        await attempts.RefundAsync(UserId, CancellationToken.None);

        var taken = await TakeUntilRefusedAsync(UserId);
        Assert.That(taken, Is.EqualTo(1));
    }

    [Test]
    public async Task Refund_EveryRightCode_NeverCostsAnAttempt()
    {
        for (var i = 0; i < 25; i++)
        {
            await attempts.TryTakeAsync(UserId, CancellationToken.None);
            await attempts.RefundAsync(UserId, CancellationToken.None);
        }

        var taken = await TakeUntilRefusedAsync(UserId);

        Assert.That(taken, Is.EqualTo(10));
    }

    [Test]
    public async Task Refund_FullBucket_DoesNotExceedTheCapacity()
    {
        for (var i = 0; i < 5; i++)
        {
            await attempts.RefundAsync(UserId, CancellationToken.None);
        }

        var taken = await TakeUntilRefusedAsync(UserId);

        Assert.That(taken, Is.EqualTo(10));
    }

    [Test]
    public async Task TryTakeAndRefund_ExistingBucket_AreOneStatementEachAndReadNothing()
    {
        await attempts.TryTakeAsync(UserId, CancellationToken.None);
        var commands = new CommandLog();
        await using var context = store.NewContext(commands);
        var request = new CodeAttempts(context, clock);

        var taken = await request.TryTakeAsync(UserId, CancellationToken.None);
        await request.RefundAsync(UserId, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(taken, Is.True);
            Assert.That(commands.Statements("Throttles"), Is.EqualTo(2), "one conditional update to take, one to give back");
            Assert.That(commands.Reads("Throttles"), Is.EqualTo(0));
        });
        Assert.That(await TakeUntilRefusedAsync(UserId), Is.EqualTo(9), "the first take still counts; the refunded one does not");
    }

    [Test]
    public async Task Refund_AfterAnotherRequestTookMeanwhile_KeepsTheirAttempt()
    {
        await using var otherContext = store.NewContext();
        var otherRequest = new CodeAttempts(otherContext, clock);
        await attempts.TryTakeAsync(UserId, CancellationToken.None);
        await otherRequest.TryTakeAsync(UserId, CancellationToken.None);

        await attempts.RefundAsync(UserId, CancellationToken.None);

        Assert.That(await TakeUntilRefusedAsync(UserId), Is.EqualTo(9), "the other request's wrong code still counts");
    }

    [Test]
    public async Task RetryAfter_AttemptsLeft_IsNull()
    {
        await attempts.TryTakeAsync(UserId, CancellationToken.None);

        var retryAfter = await attempts.RetryAfterAsync(UserId, CancellationToken.None);

        Assert.That(retryAfter, Is.Null);
    }

    [Test]
    public async Task RetryAfter_EmptyBucket_IsTheTimeToTheNextToken()
    {
        await EmptyBucketAsync(UserId);
        var rightAway = await attempts.RetryAfterAsync(UserId, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));

        var twoMinutesLater = await attempts.RetryAfterAsync(UserId, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(rightAway, Is.EqualTo(TimeSpan.FromMinutes(6)));
            Assert.That(twoMinutesLater, Is.EqualTo(TimeSpan.FromMinutes(4)));
        });
    }

    [Test]
    public async Task TryTake_OtherUserEmptied_StillAllowed()
    {
        await EmptyBucketAsync(OtherUserId);

        var taken = await TakeUntilRefusedAsync(UserId);

        Assert.That(taken, Is.EqualTo(10));
    }

    [Test]
    public async Task TryTake_AnyCodeFactor_DrawsFromTheUsersOneBucket()
    {
        await attempts.TryTakeAsync(UserId, CancellationToken.None);

        var keys = await database.Throttles.AsNoTracking().Select(throttle => throttle.Key).ToListAsync();

        Assert.That(keys, Is.EqualTo(new[] { "code:rulesmfa|ada" }));
    }

    [Test]
    public async Task TryTake_ConcurrentOnSeparateContexts_TakesExactlyTheTenAvailable()
    {
        // The bucket exists (one attempt taken): every take meets the others just before its conditional update (or,
        // were the take a read then a write, just after its read), so all thirty decide on the same nine attempts.
        await attempts.TryTakeAsync(UserId, CancellationToken.None);
        var statements = new ReadBarrier(30, "Throttles");

        var results = await TakeConcurrentlyAsync(30, statements.ForOneParticipantMeetingAtItsFirstStatement);

        var retryAfter = await attempts.RetryAfterAsync(UserId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(results.Count(taken => taken), Is.EqualTo(9));
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromMinutes(6)), "empty, not overdrawn: the next attempt one refill away");
        });
    }

    [Test]
    public async Task TryTake_ConcurrentFirstAttemptsOfANewUser_TakeExactlyTheTenAvailable()
    {
        // No bucket yet: every take finds none and reads that there is none before any of them creates it, so all thirty
        // try to create it; those that lose take from the one created.
        var reads = new ReadBarrier(30, "Throttles");

        var results = await TakeConcurrentlyAsync(30, reads.ForOneParticipant);

        var retryAfter = await attempts.RetryAfterAsync(UserId, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(results.Count(taken => taken), Is.EqualTo(10));
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromMinutes(6)), "empty, not overdrawn: the next attempt one refill away");
        });
    }

    [Test]
    public async Task TryTake_CustomCapacity_AllowsThatMany()
    {
        var custom = new CodeAttempts(database, clock, new AttemptLimits { BucketCapacity = 3 });

        var taken = await TakeUntilRefusedAsync(UserId, custom);

        Assert.That(taken, Is.EqualTo(3));
    }

    private async Task<bool[]> TakeConcurrentlyAsync(int requests, Func<IInterceptor> interceptor) =>
        await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => Task.Run(async () =>
        {
            await using var context = store.NewContext(interceptor());
            return await new CodeAttempts(context, clock).TryTakeAsync(UserId, CancellationToken.None);
        })));

    private async Task EmptyBucketAsync(string userId) => await TakeUntilRefusedAsync(userId);

    private Task<int> TakeUntilRefusedAsync(string userId) => TakeUntilRefusedAsync(userId, attempts);

    private static async Task<int> TakeUntilRefusedAsync(string userId, CodeAttempts from)
    {
        var taken = 0;
        while (taken <= 1_000 && await from.TryTakeAsync(userId, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }

    private RulesMfaDbContext NewContext() => store.NewContext();
}
