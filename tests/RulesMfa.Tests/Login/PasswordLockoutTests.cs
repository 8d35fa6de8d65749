using System.Net;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Login;

/// <summary>Password failure counters on a real database (SQLite and PostgreSQL) with a clock the tests move.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class PasswordLockoutTests(StorageProvider provider)
{
    private const string Tenant = "t";
    private const string KnownEmail = "ada@example.com";
    private const string UnknownEmail = "nobody@example.com";
    private static readonly IPAddress Address = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress OtherAddress = IPAddress.Parse("198.51.100.9");
    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;
    private RulesMfaDbContext database = null!;
    private PasswordLockout lockout = null!;

    // Most tests here show both counters with one count: the address as strict as the account (its default is 100).
    private static readonly AttemptLimits AddressAsStrictAsAccount = new() { FreeAddressPasswordFailures = 5 };

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using (var setup = NewContext())
        {
            setup.Tenants.Add(new TenantRecord { Id = Tenant, DisplayName = Tenant });
            setup.Users.Add(new UserRecord { Id = "rulesmfa|ada", TenantId = Tenant, Email = KnownEmail, PasswordHash = "x" });
            await setup.SaveChangesAsync();
        }

        clock = new ManualTimeProvider(Some.Now);
        database = NewContext();
        lockout = new PasswordLockout(database, clock, AddressAsStrictAsAccount);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task BlockedFor_FiveFailures_IsNull()
    {
        await FailAsync(5, KnownEmail, Address);

        var blocked = await lockout.BlockedForAsync(Tenant, KnownEmail, Address, CancellationToken.None);

        Assert.That(blocked, Is.Null);
    }

    [Test]
    public async Task BlockedFor_SixthFailure_BlocksForTwoSeconds()
    {
        await FailAsync(6, KnownEmail, Address);

        var blocked = await lockout.BlockedForAsync(Tenant, KnownEmail, Address, CancellationToken.None);

        Assert.That(blocked, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Reserve_EachFurtherFailure_DoublesTheWaitUpToFifteenMinutes()
    {
        await FailAsync(5, KnownEmail, Address);
        var waits = new List<TimeSpan?>();

        for (var i = 0; i < 12; i++)
        {
            await ReserveAsync(KnownEmail, Address);
            var wait = await lockout.BlockedForAsync(Tenant, KnownEmail, Address, CancellationToken.None);
            waits.Add(wait);
            clock.Advance(wait ?? TimeSpan.Zero);
        }

        var expected = new[] { 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900 }.Select(seconds => (TimeSpan?)TimeSpan.FromSeconds(seconds));
        Assert.That(waits, Is.EqualTo(expected));
    }

    [Test]
    public async Task BlockedFor_AfterTheWait_IsNull()
    {
        await FailAsync(6, KnownEmail, Address);
        clock.Advance(TimeSpan.FromSeconds(2));
        await ReserveAsync(KnownEmail, Address);
        clock.Advance(TimeSpan.FromSeconds(4) - TimeSpan.FromMilliseconds(1));
        var justBefore = await lockout.BlockedForAsync(Tenant, KnownEmail, Address, CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        var after = await lockout.BlockedForAsync(Tenant, KnownEmail, Address, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(justBefore, Is.EqualTo(TimeSpan.FromMilliseconds(1)));
            Assert.That(after, Is.Null);
        });
    }

    [Test]
    public async Task BlockedFor_BlockedAccountFromAnotherAddress_IsStillBlocked()
    {
        await FailAsync(6, KnownEmail, Address);

        var blocked = await lockout.BlockedForAsync(Tenant, KnownEmail, OtherAddress, CancellationToken.None);

        Assert.That(blocked, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task BlockedFor_BlockedAddressWithAnotherEmail_IsStillBlocked()
    {
        await FailAsync(6, KnownEmail, Address);

        var blocked = await lockout.BlockedForAsync(Tenant, "grace@example.com", Address, CancellationToken.None);

        Assert.That(blocked, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task RecordSuccess_AfterFailures_ResetsTheAccountAndGivesTheAddressItsAttemptBack()
    {
        await FailAsync(6, KnownEmail, Address);
        clock.Advance(TimeSpan.FromSeconds(2));
        await ReserveAsync(KnownEmail, Address);

        await lockout.RecordSuccessAsync(Tenant, KnownEmail, Address, CancellationToken.None);

        var account = await StoredAsync(PasswordLockout.AccountKey(Tenant, KnownEmail));
        var address = await StoredAsync(PasswordLockout.AddressKey(Tenant, Address)!);
        var fromOtherAddress = await lockout.BlockedForAsync(Tenant, KnownEmail, OtherAddress, CancellationToken.None);
        var fromSameAddress = await lockout.BlockedForAsync(Tenant, KnownEmail, Address, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(account.Failures, Is.EqualTo(0));
            Assert.That(address.Failures, Is.EqualTo(6), "the six failures, not the right password");
            Assert.That(fromOtherAddress, Is.Null, "the account starts again from zero");
            Assert.That(fromSameAddress, Is.EqualTo(TimeSpan.FromSeconds(4)), "a block the earlier failures justify stays (the 7th attempt's, a little longer)");
        });
    }

    [Test]
    public async Task RecordSuccess_AttemptThatBlockedTheAddress_LiftsTheBlock()
    {
        await FailAsync(5, "grace@example.com", Address);
        await ReserveAsync(KnownEmail, Address);
        var blockedByTheAttempt = await lockout.BlockedForAsync(Tenant, "grace@example.com", Address, CancellationToken.None);

        await lockout.RecordSuccessAsync(Tenant, KnownEmail, Address, CancellationToken.None);

        var after = await lockout.BlockedForAsync(Tenant, "grace@example.com", Address, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(blockedByTheAttempt, Is.EqualTo(TimeSpan.FromSeconds(2)), "the reservation counted as the sixth failure");
            Assert.That(after, Is.Null, "a right password gives its attempt back");
        });
    }

    [Test]
    public async Task Reserve_WhileBlocked_RefusesWithTheWaitAndCountsNothing()
    {
        await FailAsync(6, KnownEmail, Address);

        var refused = await lockout.ReserveAsync(Tenant, KnownEmail, Address, CancellationToken.None);

        var account = await StoredAsync(PasswordLockout.AccountKey(Tenant, KnownEmail));
        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(account.Failures, Is.EqualTo(6));
        });
    }

    [Test]
    public async Task Reserve_UnknownEmail_IsCountedLikeAKnownOne()
    {
        var known = new List<TimeSpan?>();
        var unknown = new List<TimeSpan?>();

        for (var i = 0; i < 8; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(15));
            await ReserveAsync(KnownEmail, null);
            await ReserveAsync(UnknownEmail, null);
            known.Add(await lockout.BlockedForAsync(Tenant, KnownEmail, null, CancellationToken.None));
            unknown.Add(await lockout.BlockedForAsync(Tenant, UnknownEmail, null, CancellationToken.None));
        }

        Assert.Multiple(() =>
        {
            Assert.That(unknown, Is.EqualTo(known));
            Assert.That(unknown[^1], Is.Not.Null);
        });
    }

    [Test]
    public async Task Reserve_EmailInOtherCaseAndSpacing_CountsTheSameAccount()
    {
        await FailAsync(3, KnownEmail, null);
        await FailAsync(3, "  Ada@Example.COM ", null);

        var blocked = await lockout.BlockedForAsync(Tenant, KnownEmail, null, CancellationToken.None);

        Assert.That(blocked, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Reserve_OtherTenant_IsCountedSeparately()
    {
        await FailAsync(6, KnownEmail, Address);

        var blocked = await lockout.BlockedForAsync("other-tenant", KnownEmail, Address, CancellationToken.None);

        Assert.That(blocked, Is.Null);
    }

    [Test]
    public async Task Reserve_NoAddress_CountsOnlyTheAccount()
    {
        await FailAsync(6, KnownEmail, null);

        var keys = await database.Throttles.AsNoTracking().Select(throttle => throttle.Key).ToListAsync();

        Assert.That(keys, Is.EqualTo(new[] { "password-account:t:ada@example.com" }));
    }

    [Test]
    public void AddressKey_IPv4MappedToIPv6_IsTheIPv4Address()
    {
        var mapped = IPAddress.Parse("::ffff:203.0.113.7");

        var key = PasswordLockout.AddressKey(Tenant, mapped);

        Assert.That(key, Is.EqualTo("password-ip:t:203.0.113.7"));
    }

    [Test]
    public async Task Reserve_IPv6AddressesInOneSlash64_ShareTheAddressCounter()
    {
        await FailAsync(3, KnownEmail, IPAddress.Parse("2001:db8:1:2::1"));
        await FailAsync(3, "grace@example.com", IPAddress.Parse("2001:db8:1:2:ffff:aaaa:bbbb:cccc"));

        var address = await StoredAsync("password-ip:t:2001:db8:1:2::/64");

        Assert.That(address.Failures, Is.EqualTo(6));
    }

    [Test]
    public async Task Reserve_AfterADayWithoutFailures_StartsAgainFromZero()
    {
        await FailAsync(6, KnownEmail, Address);
        clock.Advance(TimeSpan.FromDays(1));

        await ReserveAsync(KnownEmail, Address);

        var blocked = await lockout.BlockedForAsync(Tenant, KnownEmail, Address, CancellationToken.None);
        var account = await StoredAsync(PasswordLockout.AccountKey(Tenant, KnownEmail));
        Assert.Multiple(() =>
        {
            Assert.That(blocked, Is.Null);
            Assert.That(account.Failures, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Reserve_TwentyConcurrentOnSeparateContexts_CountsEveryOne()
    {
        var noBlock = new AttemptLimits { FreePasswordFailures = 1_000 };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Task.Run: Microsoft.Data.Sqlite completes its async calls synchronously, so plain async lambdas would run one by one.
        var reservations = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await using var context = NewContext();
            return await new PasswordLockout(context, clock, noBlock).ReserveAsync(Tenant, KnownEmail, Address, CancellationToken.None);
        })).ToList();
        start.SetResult();
        var refusals = await Task.WhenAll(reservations);

        var account = await StoredAsync(PasswordLockout.AccountKey(Tenant, KnownEmail));
        var address = await StoredAsync(PasswordLockout.AddressKey(Tenant, Address)!);
        Assert.Multiple(() =>
        {
            Assert.That(refusals, Is.All.Null);
            Assert.That(account.Failures, Is.EqualTo(20));
            Assert.That(address.Failures, Is.EqualTo(20));
            Assert.That(account.Version, Is.EqualTo(20), "one write per attempt");
        });
    }

    [Test]
    public async Task Reserve_SixteenRightPasswordsAtOnceFromOneSharedAddress_AreAllVerified()
    {
        // An office behind one address: sixteen people sign in at the same moment, and every attempt is reserved (counted)
        // before any of their passwords is verified; then each right password gives its attempt back.
        var emails = Enumerable.Range(0, 16).Select(index => $"colleague{index}@example.com").ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reservations = emails.Select(email => Task.Run(async () =>
        {
            await start.Task;
            await using var context = NewContext();
            return await new PasswordLockout(context, clock).ReserveAsync(Tenant, email, Address, CancellationToken.None);
        })).ToList();
        start.SetResult();
        var refusals = await Task.WhenAll(reservations);
        var defaults = new PasswordLockout(database, clock);
        foreach (var email in emails.Where((_, index) => refusals[index] is null))
        {
            await defaults.RecordSuccessAsync(Tenant, email, Address, CancellationToken.None);
        }

        var address = await StoredAsync(PasswordLockout.AddressKey(Tenant, Address)!);
        Assert.Multiple(() =>
        {
            Assert.That(refusals, Is.All.Null, "no right password is refused for the others' attempts in flight");
            Assert.That(address.Failures, Is.Zero, "every reserved attempt given back");
            Assert.That(address.BlockedUntil, Is.Null);
        });
    }

    [Test]
    public async Task Reserve_AccountBlockedByAnyoneElse_ABrowserThatSignedInAsItIsCountedOnItsOwn()
    {
        // Anyone who knows the email blocks the account from elsewhere; the owner's browser (KnownDevices) has its own counter.
        var defaults = new PasswordLockout(database, clock);
        for (var failure = 0; failure < 6; failure++)
        {
            Assert.That(await defaults.ReserveAsync(Tenant, KnownEmail, OtherAddress, CancellationToken.None), Is.Null);
        }

        var unknownBrowser = await defaults.ReserveAsync(Tenant, KnownEmail, Address, CancellationToken.None);
        var knownBrowser = await defaults.ReserveAsync(Tenant, KnownEmail, Address, "owners-laptop", CancellationToken.None);
        await defaults.RecordSuccessAsync(Tenant, KnownEmail, Address, "owners-laptop", CancellationToken.None);
        for (var failure = 0; failure < 6; failure++)
        {
            Assert.That(await defaults.ReserveAsync(Tenant, KnownEmail, Address, "owners-laptop", CancellationToken.None), Is.Null, $"its own failure {failure + 1}");
        }

        var knownPastItsOwnFreeFailures = await defaults.ReserveAsync(Tenant, KnownEmail, Address, "owners-laptop", CancellationToken.None);
        var anotherKnownBrowser = await defaults.ReserveAsync(Tenant, KnownEmail, Address, "owners-phone", CancellationToken.None);

        var account = await StoredAsync(PasswordLockout.AccountKey(Tenant, KnownEmail));
        Assert.Multiple(() =>
        {
            Assert.That(unknownBrowser, Is.EqualTo(TimeSpan.FromSeconds(2)), "the account is blocked for every other browser");
            Assert.That(knownBrowser, Is.Null);
            Assert.That(knownPastItsOwnFreeFailures, Is.EqualTo(TimeSpan.FromSeconds(2)), "a known browser has the account's free failures, no more");
            Assert.That(anotherKnownBrowser, Is.Null);
            Assert.That(account.Failures, Is.EqualTo(6), "the known browsers' attempts are not the account's");
        });
    }

    [Test]
    public async Task Reserve_AddressPastItsHundredFreeFailures_BlocksEveryAccountFromIt()
    {
        var defaults = new PasswordLockout(database, clock);
        for (var failure = 0; failure < 100; failure++)
        {
            Assert.That(await defaults.ReserveAsync(Tenant, $"typo{failure / 4}@example.com", Address, CancellationToken.None), Is.Null, $"failure {failure + 1} refused");
        }

        var atTheLimit = await defaults.BlockedForAsync(Tenant, "someone-else@example.com", Address, CancellationToken.None);
        Assert.That(await defaults.ReserveAsync(Tenant, "typo-last@example.com", Address, CancellationToken.None), Is.Null);
        var pastIt = await defaults.BlockedForAsync(Tenant, "someone-else@example.com", Address, CancellationToken.None);
        var elsewhere = await defaults.BlockedForAsync(Tenant, "someone-else@example.com", OtherAddress, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(atTheLimit, Is.Null, "a hundred failures spread over accounts (four each) cost the address nothing");
            Assert.That(pastIt, Is.EqualTo(TimeSpan.FromSeconds(2)), "the 101st blocks the address, for any account");
            Assert.That(elsewhere, Is.Null, "only that address");
        });
    }

    private async Task FailAsync(int times, string email, IPAddress? address)
    {
        for (var i = 0; i < times; i++)
        {
            await ReserveAsync(email, address);
        }
    }

    /// <summary>One attempt whose password then turned out wrong: reserved, and so counted.</summary>
    private async Task ReserveAsync(string email, IPAddress? address)
    {
        var refused = await lockout.ReserveAsync(Tenant, email, address, CancellationToken.None);
        Assert.That(refused, Is.Null, "the attempt was expected to be allowed");
    }

    private Task<ThrottleRecord> StoredAsync(string key) =>
        database.Throttles.AsNoTracking().SingleAsync(throttle => throttle.Key == key);

    private RulesMfaDbContext NewContext() => store.NewContext();
}
