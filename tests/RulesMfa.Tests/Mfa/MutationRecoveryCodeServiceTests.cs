using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Factors.RecoveryCode;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;
using EngineRecoveryCode = RulesMfa.Engine.Factors.RecoveryCode;

namespace RulesMfa.Tests.Mfa;

/// <summary>
/// <see cref="RecoveryCodeService"/> one request at a time (the concurrent use is in <see cref="FactorStorageTests"/>):
/// the first code is issued once, an activated code is the one shown, a code is the user's own and used once, and when.
/// Real SQLite, a clock the tests move. Written for mutation testing (TESTING.md).
/// </summary>
public sealed class MutationRecoveryCodeServiceTests
{
    private const string UserId = "rulesmfa|ada";
    private const string OtherUserId = "rulesmfa|bob";
    private ManualTimeProvider clock = null!;
    private TestDatabase store = null!;
    private RulesMfaDbContext database = null!;
    private RecoveryCodeService codes = null!;

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
        codes = new RecoveryCodeService(database, clock);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task IssueFirst_WhileTheUserHoldsAnUnusedCode_IssuesNone_AndAfterItsUseIssuesANewOne()
    {
        var othersCode = await codes.IssueFirstAsync(OtherUserId, CancellationToken.None);
        var beforeAny = await codes.HoldsOneAsync(UserId, CancellationToken.None);
        var first = await codes.IssueFirstAsync(UserId, CancellationToken.None);
        var again = await codes.IssueFirstAsync(UserId, CancellationToken.None);
        var holdsIt = await codes.HoldsOneAsync(UserId, CancellationToken.None);
        await codes.RedeemAsync(UserId, first!, CancellationToken.None);
        var afterUse = await codes.HoldsOneAsync(UserId, CancellationToken.None);
        var next = await codes.IssueFirstAsync(UserId, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(othersCode, Is.Not.Null);
            Assert.That(beforeAny, Is.False, "another user's code is not this user's");
            Assert.That(first, Is.Not.Null);
            Assert.That(again, Is.Null, "an added factor never replaces the code held");
            Assert.That(holdsIt, Is.True);
            Assert.That(afterUse, Is.False);
            Assert.That(next, Is.Not.Null);
        });
    }

    [Test]
    public async Task ActivateFirst_StoresTheShownCodesHashAtTheClocksTime_OnlyWhenNoneIsHeld()
    {
        var shown = EngineRecoveryCode.Generate();
        var later = EngineRecoveryCode.Generate();

        var activated = await codes.ActivateFirstAsync(UserId, EngineRecoveryCode.Hash(shown), CancellationToken.None);
        var activatedAgain = await codes.ActivateFirstAsync(UserId, EngineRecoveryCode.Hash(later), CancellationToken.None);

        var stored = await database.RecoveryCodes.AsNoTracking().ToListAsync();
        Assert.Multiple(async () =>
        {
            Assert.That((activated, activatedAgain), Is.EqualTo((true, false)));
            Assert.That(stored.Select(code => (code.UserId, code.Hash, code.CreatedAt, code.UsedAt)),
                Is.EqualTo(new[] { (UserId, EngineRecoveryCode.Hash(shown), Some.Now, (DateTimeOffset?)null) }));
            Assert.That(await codes.RedeemAsync(UserId, later, CancellationToken.None), Is.False);
            Assert.That(await codes.RedeemAsync(UserId, shown, CancellationToken.None), Is.True);
        });
    }

    [Test]
    public async Task Issue_UsesUpTheUsersUnusedCodeAtTheClocksTime_AndLeavesOtherUsersCodes()
    {
        var old = await codes.IssueAsync(UserId, CancellationToken.None);
        var others = await codes.IssueAsync(OtherUserId, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));

        var current = await codes.IssueAsync(UserId, CancellationToken.None);

        var stored = await database.RecoveryCodes.AsNoTracking().OrderBy(code => code.Id).ToListAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(stored.Select(code => (code.UserId, code.CreatedAt, code.UsedAt)), Is.EqualTo(new[]
            {
                (UserId, Some.Now, (DateTimeOffset?)(Some.Now + TimeSpan.FromMinutes(1))),
                (OtherUserId, Some.Now, (DateTimeOffset?)null),
                (UserId, Some.Now + TimeSpan.FromMinutes(1), (DateTimeOffset?)null),
            }));
            Assert.That(stored[2].Hash, Is.EqualTo(EngineRecoveryCode.Hash(current)), "stored as its hash");
            Assert.That(await codes.RedeemAsync(UserId, old, CancellationToken.None), Is.False);
            Assert.That(await codes.RedeemAsync(OtherUserId, others, CancellationToken.None), Is.True);
        });
    }

    [Test]
    public async Task Redeem_IsTheUsersOwnCode_UsedOnceAtTheClocksTime()
    {
        var code = await codes.IssueAsync(UserId, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));

        var byAnotherUser = await codes.RedeemAsync(OtherUserId, code, CancellationToken.None);
        var wrong = await codes.RedeemAsync(UserId, EngineRecoveryCode.Generate(), CancellationToken.None);
        var right = await codes.RedeemAsync(UserId, code, CancellationToken.None);
        var again = await codes.RedeemAsync(UserId, code, CancellationToken.None);

        var stored = await database.RecoveryCodes.AsNoTracking().SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That((byAnotherUser, wrong, right, again), Is.EqualTo((false, false, true, false)));
            Assert.That(stored.UsedAt, Is.EqualTo(Some.Now + TimeSpan.FromMinutes(2)));
        });
    }
}
