using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Factors.Phone;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Factors.Phone;

/// <summary>Phone codes and numbers on a real database (SQLite and PostgreSQL) with a clock the tests move.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class PhoneCodesTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|ada";
    private const string Number = "+16502530000";
    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;
    private RulesMfaDbContext database = null!;
    private PhoneCodes codes = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using (var setup = store.NewContext())
        {
            setup.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
            setup.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = "ada@example.com", PasswordHash = "x" });
            setup.Add(new PhoneNumberRecord { UserId = UserId, Number = Number, Confirmed = true });
            await setup.SaveChangesAsync();
        }

        clock = new ManualTimeProvider(Some.Now);
        database = store.NewContext();
        codes = new PhoneCodes(database, clock);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task Reserve_StoresOnlyTheHash_AndTheCodeWorksOnceByItsChannel()
    {
        var code = await ReserveAsync(PhoneChannel.Voice);

        var stored = await database.Set<PhoneCodeRecord>().AsNoTracking().SingleAsync();
        var first = await codes.VerifyAsync(UserId, code, CancellationToken.None);
        var second = await codes.VerifyAsync(UserId, code, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(stored.Hash, Does.Not.Contain(code).And.Length.EqualTo(64));
            Assert.That(first, Is.EqualTo(PhoneChannel.Voice), "the channel the code went by");
            Assert.That(second, Is.Null, "single use");
        });
    }

    [Test]
    public async Task Verify_AnEarlierCode_OrAfterFiveMinutes_IsRefused()
    {
        var earlier = await ReserveAsync(PhoneChannel.Sms);
        var latest = await ReserveAsync(PhoneChannel.Sms);

        var earlierResult = await codes.VerifyAsync(UserId, earlier, CancellationToken.None);
        clock.Advance(PhoneCodes.Lifetime);
        var expired = await codes.VerifyAsync(UserId, latest, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(earlierResult, Is.Null, "only the latest code counts");
            Assert.That(expired, Is.Null, "valid 5 minutes");
        });
    }

    [Test]
    public async Task Reserve_EleventhMessageWithinAnHour_IsRefusedByTheMessagesLimitUntilTheHourHasPassed()
    {
        for (var send = 0; send < PhoneCodes.MaxMessagesPerWindow; send++)
        {
            await ReserveAsync(PhoneChannel.Sms);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var eleventh = await codes.ReserveAsync(UserId, PhoneChannel.Sms, CancellationToken.None);
        clock.Now = Some.Now + PhoneCodes.SendWindow;
        var afterTheHour = await codes.ReserveAsync(UserId, PhoneChannel.Sms, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(eleventh, Is.EqualTo(new PhoneCodeReservation.Refused(PhoneCodes.MessagesLimit, Some.Now + PhoneCodes.SendWindow)));
            Assert.That(afterTheHour, Is.TypeOf<PhoneCodeReservation.Reserved>(), "the first send has left the window");
        });
    }

    [Test]
    public async Task Reserve_SecondVoiceCallWithinAnHour_IsRefusedByTheCallsLimit_ButATextMessageIsNot()
    {
        await ReserveAsync(PhoneChannel.Voice);
        clock.Advance(TimeSpan.FromMinutes(10));

        var secondCall = await codes.ReserveAsync(UserId, PhoneChannel.Voice, CancellationToken.None);
        var text = await codes.ReserveAsync(UserId, PhoneChannel.Sms, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(secondCall, Is.EqualTo(new PhoneCodeReservation.Refused(PhoneCodes.CallsLimit, Some.Now + PhoneCodes.SendWindow)));
            Assert.That(text, Is.TypeOf<PhoneCodeReservation.Reserved>());
        });
    }

    [Test]
    public async Task Reserve_ConcurrentSendsForTheLastPlaceInTheWindow_OnlyOneIsReserved()
    {
        for (var send = 0; send < PhoneCodes.MaxMessagesPerWindow - 1; send++)
        {
            await ReserveAsync(PhoneChannel.Sms);
        }

        // Every request reads the same nine sends before any of them writes.
        const int Requests = 8;
        var reads = new ReadBarrier(Requests, "PhoneCodes");
        var results = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Task.Run(async () =>
        {
            await using var context = store.NewContext(reads.ForOneParticipant());
            return await new PhoneCodes(context, clock).ReserveAsync(UserId, PhoneChannel.Sms, CancellationToken.None);
        })));
        var stored = await database.Set<PhoneCodeRecord>().CountAsync();

        Assert.Multiple(() =>
        {
            Assert.That(results.Count(result => result is PhoneCodeReservation.Reserved), Is.EqualTo(1));
            Assert.That(results.OfType<PhoneCodeReservation.Refused>().Select(refused => refused.Limit), Has.All.EqualTo(PhoneCodes.MessagesLimit));
            Assert.That(stored, Is.EqualTo(PhoneCodes.MaxMessagesPerWindow));
        });
    }

    [Test]
    public async Task Verify_ConcurrentRequestsWithTheRightCode_OnlyOneSucceeds()
    {
        var code = await ReserveAsync(PhoneChannel.Sms);

        var reads = new ReadBarrier(8, "PhoneCodes");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var context = store.NewContext(reads.ForOneParticipant());
            return await new PhoneCodes(context, clock).VerifyAsync(UserId, code, CancellationToken.None);
        })));

        Assert.That(results.Count(channel => channel is not null), Is.EqualTo(1));
    }

    [Test]
    public async Task ConfirmEnrollment_WithTheCodeSentToTheNewNumber_ReplacesTheOldOne_AndASignInCodeDoesNotConfirm()
    {
        var signIn = await ReserveAsync(PhoneChannel.Sms);
        var enrollment = await codes.StartEnrollmentAsync(UserId, "+442070313000", PhoneChannel.Sms, CancellationToken.None);
        var signInConfirms = await codes.ConfirmEnrollmentAsync(UserId, signIn, CancellationToken.None);
        var enrollmentCode = ((PhoneCodeReservation.Reserved)enrollment).Code;
        var signInWithEnrollmentCode = await new PhoneCodes(store.NewContext(), clock).VerifyAsync(UserId, enrollmentCode, CancellationToken.None);

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, enrollmentCode, CancellationToken.None);
        var numbers = await database.Set<PhoneNumberRecord>().AsNoTracking().Select(number => number.Number).ToListAsync();

        Assert.Multiple(() =>
        {
            Assert.That(signInConfirms, Is.Null, "a sign-in code never confirms a number");
            Assert.That(signInWithEnrollmentCode, Is.Null, "a confirmation code never signs in");
            Assert.That(confirmed, Is.EqualTo(PhoneChannel.Sms));
            Assert.That(numbers, Is.EqualTo(new[] { "+442070313000" }), "one number per user: the new one replaced the old");
        });
    }

    // Replacing a taken-over number must end what passing it gave: a browser remembered with it skipped MFA on.
    [Test]
    public async Task ConfirmEnrollment_ReplacingTheConfirmedNumber_ForgetsTheUsersRememberedBrowsers()
    {
        var browsers = new RememberedBrowsers(database, clock);
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        var enrollment = await codes.StartEnrollmentAsync(UserId, "+442070313000", PhoneChannel.Sms, CancellationToken.None);

        await codes.ConfirmEnrollmentAsync(UserId, ((PhoneCodeReservation.Reserved)enrollment).Code, CancellationToken.None);

        Assert.That(await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None), Is.False);
    }

    private async Task<string> ReserveAsync(PhoneChannel channel) =>
        ((PhoneCodeReservation.Reserved)await codes.ReserveAsync(UserId, channel, CancellationToken.None)).Code;
}
