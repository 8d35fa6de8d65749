using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Factors.RecoveryCode;
using RulesMfa.Host.Factors.Totp;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Mfa;

/// <summary>The stored factors on a real database (SQLite and PostgreSQL): single use holds under concurrent requests.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class FactorStorageTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|concurrency";
    private TestDatabase store = null!;
    private IDataProtectionProvider protection = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        protection = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(store.FolderPath, "keys")));
        await using var database = NewContext();
        database.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
        database.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = "u@example.com", PasswordHash = "x" });
        await database.SaveChangesAsync();
    }

    [TearDown]
    public void DeleteDatabase()
    {
        store.Dispose();
    }

    [Test]
    public async Task RedeemRecoveryCode_ConcurrentUses_ExactlyOneSucceeds()
    {
        string code;
        await using (var database = NewContext())
        {
            code = await new RecoveryCodeService(database, TimeProvider.System).IssueAsync(UserId, CancellationToken.None);
        }

        // Every redemption reads the unused code before any of them marks it used.
        var reads = new ReadBarrier(8, "RecoveryCodes");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var database = store.NewContext(reads.ForOneParticipant());
            return await new RecoveryCodeService(database, TimeProvider.System).RedeemAsync(UserId, code, CancellationToken.None);
        })));

        Assert.That(results.Count(success => success), Is.EqualTo(1));
    }

    [Test]
    public async Task IssueRecoveryCode_ReplacesTheUnusedOne()
    {
        await using var database = NewContext();
        var service = new RecoveryCodeService(database, TimeProvider.System);
        var first = await service.IssueAsync(UserId, CancellationToken.None);

        var second = await service.IssueAsync(UserId, CancellationToken.None);

        var secondHash = RecoveryCode.Hash(second);
        var storedHashed = await database.RecoveryCodes.AnyAsync(record => record.Hash == secondHash);
        var firstRedeemed = await service.RedeemAsync(UserId, first, CancellationToken.None);
        var secondRedeemed = await service.RedeemAsync(UserId, second, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(storedHashed, Is.True, "the code is stored as its hash");
            Assert.That(firstRedeemed, Is.False, "the replaced code no longer works");
            Assert.That(secondRedeemed, Is.True);
        });
    }

    [Test]
    public async Task VerifyTotp_SameCodeConcurrently_ExactlyOneSucceedsAndTheRestAreReplays()
    {
        byte[] key;
        await using (var database = NewContext())
        {
            var totp = new TotpService(database, protection, TimeProvider.System);
            var (enrollment, secret) = await totp.StartEnrollmentAsync(UserId, CancellationToken.None);
            key = secret.GetBytes();
            var confirmed = await totp.ConfirmAsync(UserId, enrollment, new Totp(key).ComputeTotp(DateTime.UtcNow.AddSeconds(-30)), CancellationToken.None);
            Assert.That(confirmed, Is.InstanceOf<TotpVerification.Succeeded>());
        }

        var code = new Totp(key).ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        // Every verification reads the last accepted step before any of them moves it.
        var reads = new ReadBarrier(8, "TotpEnrollments");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var database = store.NewContext(reads.ForOneParticipant());
            return await new TotpService(database, protection, TimeProvider.System).VerifyAsync(UserId, code, CancellationToken.None);
        })));

        Assert.Multiple(() =>
        {
            Assert.That(results.OfType<TotpVerification.Succeeded>().Count(), Is.EqualTo(1));
            Assert.That(results.OfType<TotpVerification.Replayed>().Count(), Is.EqualTo(7));
        });
    }

    [Test]
    public async Task TotpSecret_IsEncryptedAtRest()
    {
        await using var database = NewContext();
        var (_, secret) = await new TotpService(database, protection, TimeProvider.System).StartEnrollmentAsync(UserId, CancellationToken.None);

        var stored = await database.TotpEnrollments.AsNoTracking().SingleAsync();

        Assert.Multiple(() =>
        {
            Assert.That(stored.ProtectedSecret, Does.Not.Contain(secret.Base32));
            Assert.That(Convert.FromBase64String(stored.ProtectedSecret), Is.Not.EqualTo(secret.GetBytes()));
        });
    }

    private RulesMfaDbContext NewContext() => store.NewContext();
}
