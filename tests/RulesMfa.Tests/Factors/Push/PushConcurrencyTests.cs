using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Factors.Push;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Factors.Push;

/// <summary>
/// What the database decides once for the push factor, with every participant held behind a <see cref="ReadBarrier"/> after
/// its first read so that all decide on the same rows: a burst of requests, one ticket, one answer.
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class PushConcurrencyTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|push-concurrency";
    private readonly ManualTimeProvider clock = ManualTimeProvider.AtUnixSeconds(1_800_000_000);
    private readonly IDataProtectionProvider protection = new EphemeralDataProtectionProvider();
    private TestDatabase store = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using var database = store.NewContext();
        database.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
        database.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = "u@example.com", PasswordHash = "x" });
        await database.SaveChangesAsync();
    }

    [TearDown]
    public void DeleteDatabase() => store.Dispose();

    [Test]
    public async Task PushRequestBucket_TenAtOnce_LetsFiveThroughThenOneEveryTwelveSeconds()
    {
        var barrier = new ReadBarrier(10, "Throttles");

        var taken = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var database = store.NewContext(barrier.ForOneParticipant());
            return await new PushRequestBucket(database, clock).TryTakeAsync(UserId, CancellationToken.None);
        }));
        await using var later = store.NewContext();
        var bucket = new PushRequestBucket(later, clock);
        var stillEmpty = await bucket.TryTakeAsync(UserId, CancellationToken.None);
        clock.Advance(PushRequestBucket.RefillInterval);
        var refilled = await bucket.TryTakeAsync(UserId, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(taken.Count(retryAt => retryAt is null), Is.EqualTo(PushRequestBucket.Burst), "a burst of 5");
            Assert.That(taken.Where(retryAt => retryAt is not null), Has.All.EqualTo(clock.Now), "the others told when the next comes");
            Assert.That(stillEmpty, Is.EqualTo(clock.Now), "12 s after the burst");
            Assert.That(refilled, Is.Null, "one back every 12 s: 5 a minute");
        });
    }

    [Test]
    public async Task PushRequestBucket_TenAtOnceOnAnExistingBucket_LetTheFourLeftThrough()
    {
        // One request sent already: every take meets the others just before its conditional update (or, were the take a
        // read then a write, just after its read), so all ten decide on the same four requests left.
        await using (var first = store.NewContext())
        {
            Assert.That(await new PushRequestBucket(first, clock).TryTakeAsync(UserId, CancellationToken.None), Is.Null);
        }

        var barrier = new ReadBarrier(10, "Throttles");

        var taken = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var database = store.NewContext(barrier.ForOneParticipantMeetingAtItsFirstStatement());
            return await new PushRequestBucket(database, clock).TryTakeAsync(UserId, CancellationToken.None);
        }));

        Assert.Multiple(() =>
        {
            Assert.That(taken.Count(retryAt => retryAt is null), Is.EqualTo(PushRequestBucket.Burst - 1), "the four left of the burst");
            Assert.That(taken.Where(retryAt => retryAt is not null), Has.All.EqualTo(clock.Now + PushRequestBucket.RefillInterval), "the next one 12 s away");
        });
    }

    [Test]
    public async Task Enroll_TwoDevicesWithOneTicketAtOnce_EnrollsOnlyOne()
    {
        await using var setup = store.NewContext();
        var (_, ticket, _, _) = await new PushTickets(setup, protection, clock).StartAsync(UserId, "http://server/t", CancellationToken.None);
        var barrier = new ReadBarrier(2, "PushTickets");

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async index =>
        {
            await using var database = store.NewContext(barrier.ForOneParticipant());
            return await new PushTickets(database, protection, clock).EnrollAsync("t", ticket, Request($"device-{index}"), CancellationToken.None);
        }));
        var devices = await setup.Set<PushDeviceRecord>().CountAsync();

        Assert.Multiple(() =>
        {
            Assert.That(results.OfType<PushEnrollment.Enrolled>().Count(), Is.EqualTo(1));
            Assert.That(results.OfType<PushEnrollment.Refused>().Single().Description, Does.StartWith("This enrollment ticket was already used"));
            Assert.That(devices, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Resolve_TwoAnswersToOneRequestAtOnce_OnlyOneCounts()
    {
        using var key = RSA.Create(2048);
        var (token, challenge, digits) = await PendingRequestAsync(key);
        var barrier = new ReadBarrier(2, "PushTransactions");

        var resolutions = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var database = store.NewContext(barrier.ForOneParticipant());
            var transactions = new PushTransactions(database, new PushRequestBucket(database, clock), protection, clock);
            return await transactions.ResolveAsync("t", token, PushAnswers.Sign(key, "device-0", challenge, digits, clock.Now.UtcDateTime), new PushAnswerVerifier(clock), CancellationToken.None);
        }));

        Assert.Multiple(() =>
        {
            Assert.That(resolutions.Count(resolution => resolution.Answer is PushAnswer.Approved), Is.EqualTo(1));
            Assert.That(resolutions.Select(resolution => resolution.Answer).OfType<PushAnswer.Refused>().Single().Error, Is.EqualTo("transaction_resolved"));
        });
    }

    /// <summary>A confirmed device with <paramref name="key"/>, and a request sent to it: its token, challenge and digits.</summary>
    private async Task<(string Token, string Challenge, string Digits)> PendingRequestAsync(RSA key)
    {
        await using var database = store.NewContext();
        var tickets = new PushTickets(database, protection, clock);
        var (ticketId, ticket, _, _) = await tickets.StartAsync(UserId, "http://server/t", CancellationToken.None);
        await tickets.EnrollAsync("t", ticket, Request("device-0", key), CancellationToken.None);
        Assert.That(await tickets.ConfirmAsync(UserId, ticketId, CancellationToken.None), Is.True);
        var transactions = new PushTransactions(database, new PushRequestBucket(database, clock), protection, clock);
        var sent = (PushSend.Sent)await transactions.SendAsync(UserId, "App", "203.0.113.9", "Unknown location", CancellationToken.None);
        var pending = (await transactions.PendingAsync(sent.Device, CancellationToken.None)).Single();
        return (pending.TransactionToken, pending.Challenge, sent.Transaction.Digits);
    }

    private static PushEnrollRequest Request(string identifier, RSA? key = null)
    {
        using var fresh = RSA.Create(2048);
        var parameters = (key ?? fresh).ExportParameters(false);
        return new PushEnrollRequest(identifier, "Phone", null,
            new PushPublicKey("RSA", "sig", "RS256", Base64Url.EncodeToString(parameters.Modulus), Base64Url.EncodeToString(parameters.Exponent)));
    }
}
