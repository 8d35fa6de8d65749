using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RulesMfa.Host.Factors.Phone;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Factors.Phone;

/// <summary>
/// <see cref="PhoneCodes"/> beyond <see cref="PhoneCodesTests"/>: the confirmed number kept until a new one is confirmed,
/// one user's enrollment leaving other users' numbers alone, an enrollment code confirming only the number it went to,
/// and bad input refused. Real database, a clock the tests move. Written for mutation testing (TESTING.md).
/// </summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class MutationPhoneCodesTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|ada";
    private const string OtherUserId = "rulesmfa|grace";
    private const string Number = "+16502530000";
    private const string OthersNumber = "+16502530001";
    private TestDatabase store = null!;
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
            setup.Users.Add(new UserRecord { Id = OtherUserId, TenantId = "t", Email = "grace@example.com", PasswordHash = "x" });
            setup.Add(new PhoneNumberRecord { UserId = UserId, Number = Number, Confirmed = true });
            setup.Add(new PhoneNumberRecord { UserId = OtherUserId, Number = OthersNumber, Confirmed = true });
            await setup.SaveChangesAsync();
        }

        database = store.NewContext();
        codes = new PhoneCodes(database, new ManualTimeProvider(Some.Now));
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task Verify_ForAUserWhoWasNeverSentACode_IsRefused()
    {
        Assert.That(await codes.VerifyAsync(UserId, "123456", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task StartEnrollment_KeepsTheConfirmedNumberUntilTheNewOneIsConfirmed()
    {
        await codes.StartEnrollmentAsync(UserId, "+442070313000", PhoneChannel.Sms, CancellationToken.None);
        var second = await codes.StartEnrollmentAsync(UserId, "+442070313001", PhoneChannel.Sms, CancellationToken.None);

        var confirmedWhilePending = await codes.ConfirmedNumberAsync(UserId, CancellationToken.None);
        var pending = await codes.PendingAsync(UserId, CancellationToken.None);
        var usersNumbers = await NumbersAsync(UserId);

        Assert.Multiple(() =>
        {
            Assert.That(confirmedWhilePending, Is.EqualTo(Number), "the confirmed number, not the pending one");
            Assert.That(pending?.Number, Is.EqualTo("+442070313001"));
            Assert.That(usersNumbers, Is.EqualTo(new[] { (Number, true), ("+442070313001", false) }), "the earlier pending number was replaced, the confirmed one kept");
            Assert.That(second, Is.TypeOf<PhoneCodeReservation.Reserved>());
        });
    }

    [Test]
    public async Task EnrollmentOfOneUser_LeavesAnotherUsersConfirmedAndPendingNumbers()
    {
        await codes.StartEnrollmentAsync(OtherUserId, "+16502530002", PhoneChannel.Sms, CancellationToken.None);
        var enrollment = (PhoneCodeReservation.Reserved)await codes.StartEnrollmentAsync(UserId, "+442070313000", PhoneChannel.Voice, CancellationToken.None);

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, enrollment.Code, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(confirmed, Is.EqualTo(PhoneChannel.Voice));
            Assert.That(await NumbersAsync(UserId), Is.EqualTo(new[] { ("+442070313000", true) }));
            Assert.That(await NumbersAsync(OtherUserId), Is.EqualTo(new[] { (OthersNumber, true), ("+16502530002", false) }), "another user's numbers are untouched");
            Assert.That(await codes.ConfirmedNumberAsync(UserId, CancellationToken.None), Is.EqualTo("+442070313000"));
            Assert.That(await codes.ConfirmedNumberAsync(OtherUserId, CancellationToken.None), Is.EqualTo(OthersNumber));
        });
    }

    [Test]
    public async Task ConfirmEnrollment_WhileAnotherUserHasALaterPendingNumber_ConfirmsTheUsersOwn()
    {
        var enrollment = (PhoneCodeReservation.Reserved)await codes.StartEnrollmentAsync(UserId, "+442070313000", PhoneChannel.Sms, CancellationToken.None);
        await codes.StartEnrollmentAsync(OtherUserId, "+16502530002", PhoneChannel.Sms, CancellationToken.None);

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, enrollment.Code, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(confirmed, Is.EqualTo(PhoneChannel.Sms));
            Assert.That(await NumbersAsync(UserId), Is.EqualTo(new[] { ("+442070313000", true) }));
            Assert.That(await NumbersAsync(OtherUserId), Is.EqualTo(new[] { (OthersNumber, true), ("+16502530002", false) }));
        });
    }

    [Test]
    public async Task Reserve_TheUsersFirstTwoSendsAtOnce_BothReserve_TheSecondAfterTheFirst()
    {
        // Both read "no send yet" before either inserts, so both take sequence 1: the loser must see that the number was
        // taken by the user's other send and decide again, not fail.
        var barrier = new ReadBarrier(2, "PhoneCodes");
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var context = store.NewContext(barrier.ForOneParticipant());
            return await new PhoneCodes(context, new ManualTimeProvider(Some.Now)).ReserveAsync(UserId, PhoneChannel.Sms, CancellationToken.None);
        })));

        await using var check = store.NewContext();
        var sequences = await check.Set<PhoneCodeRecord>().Where(record => record.UserId == UserId).OrderBy(record => record.Sequence).Select(record => record.Sequence).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(results, Has.All.InstanceOf<PhoneCodeReservation.Reserved>());
            Assert.That(sequences, Is.EqualTo(new long[] { 1, 2 }));
        });
    }

    [Test]
    public async Task ConfirmEnrollment_WhoseNumberANewStartReplacedAfterTheCodeWasChecked_ConfirmsNothing()
    {
        var enrollment = (PhoneCodeReservation.Reserved)await codes.StartEnrollmentAsync(UserId, "+442070313000", PhoneChannel.Sms, CancellationToken.None);
        var pause = new PauseAfterUsingACode();
        var confirming = Task.Run(async () =>
        {
            await using var context = store.NewContext(pause);
            return await new PhoneCodes(context, new ManualTimeProvider(Some.Now)).ConfirmEnrollmentAsync(UserId, enrollment.Code, CancellationToken.None);
        });

        // The code is checked and used; before the number is confirmed, the user starts again with another number.
        await pause.Reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await codes.StartEnrollmentAsync(UserId, "+442070313001", PhoneChannel.Sms, CancellationToken.None);
        pause.Go.SetResult();
        var confirmed = await confirming;

        Assert.Multiple(async () =>
        {
            Assert.That(confirmed, Is.Null, "the number the code went to is gone: nothing was confirmed");
            Assert.That(await NumbersAsync(UserId), Is.EqualTo(new[] { (Number, true), ("+442070313001", false) }));
        });
    }

    [Test]
    public async Task ConfirmEnrollment_AfterAStartRefusedByTheMessagesLimit_TheEarlierNumbersCodeConfirmsNothing()
    {
        for (var send = 1; send < PhoneCodes.MaxMessagesPerWindow; send++)
        {
            await codes.ReserveAsync(UserId, PhoneChannel.Sms, CancellationToken.None);
        }

        var toOwnNumber = await codes.StartEnrollmentAsync(UserId, "+442070313000", PhoneChannel.Sms, CancellationToken.None);
        var toVictim = await codes.StartEnrollmentAsync(UserId, "+442070313001", PhoneChannel.Sms, CancellationToken.None);

        // The latest code is still the one sent to the first number; the pending number is now the second.
        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, ((PhoneCodeReservation.Reserved)toOwnNumber).Code, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(toVictim, Is.TypeOf<PhoneCodeReservation.Refused>().With.Property(nameof(PhoneCodeReservation.Refused.Limit)).EqualTo(PhoneCodes.MessagesLimit));
            Assert.That(confirmed, Is.Null, "a code confirms only the number it was sent to");
            Assert.That(await NumbersAsync(UserId), Is.EqualTo(new[] { (Number, true), ("+442070313001", false) }));
        });
    }

    [Test]
    public async Task ConfirmEnrollment_NothingPending_IsNull_AndKeepsTheNumber()
    {
        var signIn = (PhoneCodeReservation.Reserved)await codes.ReserveAsync(UserId, PhoneChannel.Sms, CancellationToken.None);

        var confirmed = await codes.ConfirmEnrollmentAsync(UserId, signIn.Code, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(confirmed, Is.Null);
            Assert.That(await NumbersAsync(UserId), Is.EqualTo(new[] { (Number, true) }));
            Assert.That(await codes.VerifyAsync(UserId, signIn.Code, CancellationToken.None), Is.EqualTo(PhoneChannel.Sms), "the sign-in code was not used");
        });
    }

    [Test]
    public async Task Reserve_BlankUser_IsRefusedByName_AndStoresNothing()
    {
        var refused = Assert.ThrowsAsync<ArgumentException>(() => codes.ReserveAsync(" ", PhoneChannel.Sms, CancellationToken.None));

        await using var check = store.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(refused?.ParamName, Is.EqualTo("userId"));
            Assert.That(await check.Set<PhoneCodeRecord>().CountAsync(), Is.Zero);
        });
    }

    private async Task<(string Number, bool Confirmed)[]> NumbersAsync(string userId)
    {
        await using var check = store.NewContext();
        var numbers = await check.Set<PhoneNumberRecord>().Where(number => number.UserId == userId).OrderBy(number => number.Id)
            .Select(number => new { number.Number, number.Confirmed }).ToListAsync();
        return [.. numbers.Select(number => (number.Number, number.Confirmed))];
    }

    /// <summary>Holds a confirmation just after its code is marked used, before it confirms the number.</summary>
    private sealed class PauseAfterUsingACode : DbCommandInterceptor
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Go { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<int> NonQueryExecutedAsync(
            System.Data.Common.DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("UPDATE \"PhoneCodes\"", StringComparison.Ordinal))
            {
                Reached.TrySetResult();
                await Go.Task.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
            }

            return result;
        }
    }
}
