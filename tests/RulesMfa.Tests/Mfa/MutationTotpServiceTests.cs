using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Factors.Totp;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Mfa;

/// <summary>
/// <see cref="TotpService"/>'s enrollment and verification one request at a time (the concurrent ones are in
/// <see cref="FactorStorageTests"/>): which enrollment is pending, whose it is, what confirming and verifying store.
/// Real SQLite, a clock the tests move. Written for mutation testing (TESTING.md).
/// </summary>
public sealed class MutationTotpServiceTests
{
    private const string UserId = "rulesmfa|ada";
    private const string OtherUserId = "rulesmfa|bob";
    private ManualTimeProvider clock = null!;
    private readonly IDataProtectionProvider protection = new EphemeralDataProtectionProvider();
    private TestDatabase store = null!;
    private RulesMfaDbContext database = null!;
    private TotpService totp = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        clock = new ManualTimeProvider(Some.Now);
        store = await TestDatabase.CreateAsync();
        database = store.NewContext();
        database.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
        database.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = "ada@example.com", PasswordHash = "x" });
        database.Users.Add(new UserRecord { Id = OtherUserId, TenantId = "t", Email = "bob@example.com", PasswordHash = "x" });
        await database.SaveChangesAsync();
        database.ChangeTracker.Clear();
        totp = new TotpService(database, protection, clock);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task StartEnrollment_StoresAPendingEnrollmentAtTheClocksTime_WhoseSecretReadsBack()
    {
        var (id, secret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);

        var stored = await database.TotpEnrollments.AsNoTracking().SingleAsync();
        var pendingSecret = await totp.PendingSecretAsync(UserId, id, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That((stored.Id, stored.UserId, stored.Confirmed, stored.LastAcceptedStep, stored.CreatedAt), Is.EqualTo((id, UserId, false, (long?)null, Some.Now)));
            Assert.That(pendingSecret?.GetBytes(), Is.EqualTo(secret.GetBytes()));
        });
    }

    /// <summary>The purpose is part of the stored format: secrets stored by an earlier version must still read back.</summary>
    [Test]
    public async Task StartEnrollment_StoresTheSecretProtectedForTheTotpPurposeOnly()
    {
        var (_, secret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);

        var stored = (await database.TotpEnrollments.AsNoTracking().SingleAsync()).ProtectedSecret;
        Assert.Multiple(() =>
        {
            Assert.That(protection.CreateProtector("RulesMfa.Totp").Unprotect(Convert.FromBase64String(stored)), Is.EqualTo(secret.GetBytes()));
            Assert.That(() => protection.CreateProtector("RulesMfa.Other").Unprotect(Convert.FromBase64String(stored)),
                Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
        });
    }

    [Test]
    public async Task StartEnrollment_Again_ReplacesOnlyTheUsersPendingOne()
    {
        var (confirmedId, confirmedSecret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);
        await totp.ConfirmAsync(UserId, confirmedId, CodeNow(confirmedSecret), CancellationToken.None);
        var (othersId, _) = await totp.StartEnrollmentAsync(OtherUserId, CancellationToken.None);
        var (firstId, _) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);

        var (secondId, secondSecret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);

        var left = await database.TotpEnrollments.AsNoTracking().OrderBy(enrollment => enrollment.Id).Select(enrollment => enrollment.Id).ToListAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(left, Is.EqualTo(new[] { confirmedId, othersId, secondId }), "the user's earlier pending enrollment is gone, nothing else");
            Assert.That(await totp.PendingSecretAsync(UserId, firstId, CancellationToken.None), Is.Null);
            Assert.That(await totp.ConfirmAsync(UserId, secondId, CodeNow(secondSecret), CancellationToken.None), Is.InstanceOf<TotpVerification.Succeeded>());
        });
    }

    [Test]
    public async Task PendingSecretAndConfirm_OfAnotherUsersEnrollment_AreNull()
    {
        var (othersId, othersSecret) = await totp.StartEnrollmentAsync(OtherUserId, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await totp.PendingSecretAsync(UserId, othersId, CancellationToken.None), Is.Null);
            Assert.That(await totp.ConfirmAsync(UserId, othersId, CodeNow(othersSecret), CancellationToken.None), Is.Null);
            Assert.That(await database.TotpEnrollments.AsNoTracking().SingleAsync(), Has.Property(nameof(TotpEnrollmentRecord.Confirmed)).False);
        });
    }

    [Test]
    public async Task Confirm_WithTheRightCode_ConfirmsAndRecordsTheStep_ThenTheEnrollmentIsNoLongerPending()
    {
        var (id, secret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);

        var confirmed = await totp.ConfirmAsync(UserId, id, CodeNow(secret), CancellationToken.None);

        var stored = await database.TotpEnrollments.AsNoTracking().SingleAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(confirmed, Is.EqualTo(new TotpVerification.Succeeded(StepNow)));
            Assert.That((stored.Confirmed, stored.LastAcceptedStep), Is.EqualTo((true, (long?)StepNow)));
            Assert.That(await totp.PendingSecretAsync(UserId, id, CancellationToken.None), Is.Null);
            clock.Advance(TimeSpan.FromSeconds(30));
            Assert.That(await totp.ConfirmAsync(UserId, id, CodeNow(secret), CancellationToken.None), Is.Null, "confirmed once");
        });
    }

    [Test]
    public async Task Confirm_WithAWrongCode_IsInvalid_AndLeavesItPending()
    {
        var (id, secret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);

        var confirmed = await totp.ConfirmAsync(UserId, id, WrongCode(secret.GetBytes()), CancellationToken.None);

        var stored = await database.TotpEnrollments.AsNoTracking().SingleAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(confirmed, Is.InstanceOf<TotpVerification.Invalid>());
            Assert.That((stored.Confirmed, stored.LastAcceptedStep), Is.EqualTo((false, (long?)null)));
            Assert.That(await totp.PendingSecretAsync(UserId, id, CancellationToken.None), Is.Not.Null);
        });
    }

    [Test]
    public async Task Verify_UsersWithoutAConfirmedApp_IsInvalid()
    {
        var (_, pendingSecret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(await totp.VerifyAsync(UserId, CodeNow(pendingSecret), CancellationToken.None), Is.InstanceOf<TotpVerification.Invalid>(), "a pending app does not sign in");
            Assert.That(await totp.VerifyAsync(OtherUserId, CodeNow(pendingSecret), CancellationToken.None), Is.InstanceOf<TotpVerification.Invalid>(), "no app at all");
        });
    }

    [Test]
    public async Task Verify_CodeOfTheSecondOfTwoApps_Succeeds_KeepsItConfirmed_AndIsThenAReplay()
    {
        await EnrolledAsync();
        var second = await EnrolledAsync();
        clock.Advance(TimeSpan.FromSeconds(30));

        var verified = await totp.VerifyAsync(UserId, CodeNow(second), CancellationToken.None);
        var replayed = await totp.VerifyAsync(UserId, CodeNow(second), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(30));
        var nextStep = await totp.VerifyAsync(UserId, CodeNow(second), CancellationToken.None);

        var stored = await database.TotpEnrollments.AsNoTracking().OrderBy(enrollment => enrollment.Id).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(verified, Is.EqualTo(new TotpVerification.Succeeded(StepNow - 1)));
            Assert.That(replayed, Is.InstanceOf<TotpVerification.Replayed>());
            Assert.That(nextStep, Is.EqualTo(new TotpVerification.Succeeded(StepNow)), "a verification leaves the app confirmed");
            Assert.That(stored.Select(enrollment => (enrollment.Confirmed, enrollment.LastAcceptedStep)),
                Is.EqualTo(new[] { (true, (long?)(StepNow - 2)), (true, (long?)StepNow) }), "only the app whose code it was moves on");
        });
    }

    [Test]
    public async Task Verify_CodeOfTheFirstOfTwoApps_Succeeds_AndMovesOnlyThatApp()
    {
        var first = await EnrolledAsync();
        await EnrolledAsync();
        clock.Advance(TimeSpan.FromSeconds(30));

        var verified = await totp.VerifyAsync(UserId, CodeNow(first), CancellationToken.None);

        var stored = await database.TotpEnrollments.AsNoTracking().OrderBy(enrollment => enrollment.Id).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(verified, Is.EqualTo(new TotpVerification.Succeeded(StepNow)), "the first app's success is the answer; the second app is not asked");
            Assert.That(stored.Select(enrollment => enrollment.LastAcceptedStep), Is.EqualTo(new long?[] { StepNow, StepNow - 1 }));
        });
    }

    [Test]
    public async Task Verify_WrongCode_IsInvalidAndMovesNothing()
    {
        var secret = await EnrolledAsync();
        clock.Advance(TimeSpan.FromSeconds(30));

        var verified = await totp.VerifyAsync(UserId, WrongCode(secret), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(verified, Is.InstanceOf<TotpVerification.Invalid>());
            Assert.That((await database.TotpEnrollments.AsNoTracking().SingleAsync()).LastAcceptedStep, Is.EqualTo(StepNow - 1));
        });
    }

    private long StepNow => clock.Now.ToUnixTimeSeconds() / TotpFactor.StepSeconds;

    // A confirmed app of the user, confirmed at the current step.
    private async Task<byte[]> EnrolledAsync()
    {
        var (id, secret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);
        Assert.That(await totp.ConfirmAsync(UserId, id, CodeNow(secret.GetBytes()), CancellationToken.None), Is.InstanceOf<TotpVerification.Succeeded>());
        return secret.GetBytes();
    }

    private string CodeNow(TotpSecret secret) => CodeNow(secret.GetBytes());

    private string CodeNow(byte[] key) => new Totp(key).ComputeTotp(clock.Now.UtcDateTime);

    // A code of the current step, off by one in its last digit: never the code of a neighbouring step by chance.
    private string WrongCode(byte[] key)
    {
        var code = CodeNow(key);
        var window = Enumerable.Range(-1, 3).Select(steps => new Totp(key).ComputeTotp(clock.Now.UtcDateTime.AddSeconds(steps * 30))).ToHashSet();
        return Enumerable.Range(1, 9).Select(add => code[..5] + (char)('0' + ((code[5] - '0' + add) % 10))).First(candidate => !window.Contains(candidate));
    }
}
