using System.Net;
using Microsoft.AspNetCore.Identity;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Login;

/// <summary>The password check as the login page runs it (lockout, then the hasher), on a real database (SQLite and PostgreSQL).</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class PasswordLoginTests(StorageProvider provider)
{
    private const string Tenant = "t";
    private const string Email = "ada@example.com";
    private const string Password = "the right password";
    private static readonly IPAddress Address = IPAddress.Parse("203.0.113.7");
    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using var setup = store.NewContext();
        setup.Tenants.Add(new TenantRecord { Id = Tenant, DisplayName = Tenant });
        var user = new UserRecord { Id = "rulesmfa|ada", TenantId = Tenant, Email = Email, PasswordHash = "" };
        user.PasswordHash = new PasswordHasher<UserRecord>().HashPassword(user, Password);
        setup.Users.Add(user);
        await setup.SaveChangesAsync();
        clock = new ManualTimeProvider(Some.Now);
    }

    [TearDown]
    public void DeleteDatabase() => store.Dispose();

    [Test]
    public async Task Check_FiftyParallelWrongPasswords_VerifiesOnlyTheFreeFailuresPlusOne()
    {
        const int burst = 50;
        var hasher = new CountingPasswordHasher();
        var barrier = new ReadBarrier(burst, "Throttles");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // One context per request, as the page gets; Task.Run because Microsoft.Data.Sqlite completes async calls synchronously.
        var checks = Enumerable.Range(0, burst).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await using var context = store.NewContext(barrier.ForOneParticipant());
            var login = new PasswordLogin(context, new PasswordLockout(context, clock), hasher);
            return await login.CheckAsync(Tenant, Email, $"wrong guess {i}", Address, knownDevice: null, CancellationToken.None);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(checks);

        Assert.Multiple(() =>
        {
            Assert.That(hasher.Verifications, Is.EqualTo(6), "5 free failures, then the one that set the block");
            Assert.That(results.OfType<PasswordCheck.Failed>().Count(), Is.EqualTo(6));
            Assert.That(results.OfType<PasswordCheck.Blocked>().Select(blocked => blocked.For).ToList(), Has.Count.EqualTo(burst - 6).And.All.EqualTo(TimeSpan.FromSeconds(2)));
        });
    }

    [Test]
    public async Task Check_RightPasswordAfterFiveFailures_PassesAndResetsTheAccount()
    {
        await using var context = store.NewContext();
        var login = new PasswordLogin(context, new PasswordLockout(context, clock), new CountingPasswordHasher());
        for (var i = 0; i < 5; i++)
        {
            await login.CheckAsync(Tenant, Email, "wrong", Address, knownDevice: null, CancellationToken.None);
        }

        var passed = await login.CheckAsync(Tenant, Email, Password, Address, knownDevice: null, CancellationToken.None);

        var blocked = await new PasswordLockout(context, clock).BlockedForAsync(Tenant, Email, null, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(passed, Is.TypeOf<PasswordCheck.Passed>());
            Assert.That(blocked, Is.Null);
        });
    }

    /// <summary>The real hasher, counting how many passwords it verified.</summary>
    private sealed class CountingPasswordHasher : IPasswordHasher<UserRecord>
    {
        private readonly PasswordHasher<UserRecord> hasher = new();
        private int verifications;

        public int Verifications => Volatile.Read(ref verifications);

        public string HashPassword(UserRecord user, string password) => hasher.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(UserRecord user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return hasher.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
