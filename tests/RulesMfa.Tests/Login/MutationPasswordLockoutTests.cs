using System.Net;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Login;

/// <summary>
/// <see cref="PasswordLockout"/> where the older tests stopped short: a guesser who keeps going far past the longest
/// block, the day after which a counter is forgotten at its boundary, and the exact counter keys. Real SQLite, a clock
/// the tests move. Written for mutation testing (TESTING.md).
/// </summary>
public sealed class MutationPasswordLockoutTests
{
    private const string Tenant = "t";
    private const string Email = "ada@example.com";
    private static readonly IPAddress Address = IPAddress.Parse("203.0.113.7");
    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;
    private RulesMfaDbContext database = null!;
    private PasswordLockout lockout = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync();
        clock = new ManualTimeProvider(Some.Now);
        database = store.NewContext();
        lockout = new PasswordLockout(database, clock);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task Reserve_SeventyFailuresPastTheFreeOnes_StillBlockForTheLongestBlock()
    {
        // 2^n seconds overflows a TimeSpan from n = 40 and a shift wraps at 64: each later failure must still block 15 minutes.
        var blocks = new List<TimeSpan>();
        for (var failure = 1; failure <= 75; failure++)
        {
            Assert.That(await lockout.ReserveAsync(Tenant, Email, Address, CancellationToken.None), Is.Null, $"failure {failure} was refused");
            var blocked = await lockout.BlockedForAsync(Tenant, Email, Address, CancellationToken.None);
            if (blocked is { } wait)
            {
                blocks.Add(wait);
                clock.Advance(wait);
            }
        }

        Assert.That(blocks.Skip(10).ToList(), Has.Count.EqualTo(60).And.All.EqualTo(TimeSpan.FromMinutes(15)));
    }

    // Stryker survivors of session 7: a right password after failures that blocked nothing, and one with no known address.
    [TestCase(true)]
    [TestCase(false)]
    public async Task RecordSuccess_AfterFailuresThatBlockedNothing_StartsTheAccountAgainFromZero(bool addressKnown)
    {
        var address = addressKnown ? Address : null;
        for (var failure = 0; failure < 3; failure++)
        {
            await lockout.ReserveAsync(Tenant, Email, address, CancellationToken.None);
        }

        await lockout.RecordSuccessAsync(Tenant, Email, address, CancellationToken.None);
        var refusals = new List<TimeSpan?>();
        for (var failure = 0; failure < 5; failure++)
        {
            refusals.Add(await lockout.ReserveAsync(Tenant, Email, address, CancellationToken.None));
        }

        Assert.Multiple(async () =>
        {
            Assert.That(refusals, Is.All.Null, "five free failures again");
            Assert.That(await lockout.BlockedForAsync(Tenant, Email, address, CancellationToken.None), Is.Null);
        });
    }

    [Test]
    public async Task Reserve_JustUnderADayAfterTheLastFailure_KeepsCounting()
    {
        await FailAsync(5);
        clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));

        await FailAsync(1);

        Assert.That(await lockout.BlockedForAsync(Tenant, Email, Address, CancellationToken.None), Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Reserve_ExactlyADayAfterTheLastFailure_StartsAgainFromZero()
    {
        await FailAsync(5);
        clock.Advance(TimeSpan.FromDays(1));

        await FailAsync(1);

        var account = await database.Throttles.AsNoTracking().SingleAsync(throttle => throttle.Key == PasswordLockout.AccountKey(Tenant, Email));
        Assert.That(account.Failures, Is.EqualTo(1));
    }

    // Stryker survivors of session 7: the account and the address blocked for different times; the longer block holds.
    [Test]
    public async Task AccountAndAddressBlockedForDifferentTimes_TheLongerBlockHolds()
    {
        // One free failure for the address, three for the account: the fourth failure blocks the account for 2 s and
        // the address for 8 s.
        lockout = new PasswordLockout(database, clock, new AttemptLimits { FreePasswordFailures = 3, FreeAddressPasswordFailures = 1 });
        await FailAsync(2);
        clock.Advance(TimeSpan.FromSeconds(2));
        await FailAsync(1);
        clock.Advance(TimeSpan.FromSeconds(4));
        await FailAsync(1);

        var blockedFor = await lockout.BlockedForAsync(Tenant, Email, Address, CancellationToken.None);
        var refusedFor = await lockout.ReserveAsync(Tenant, Email, Address, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        var refusedOnceTheAccountsBlockEnded = await lockout.ReserveAsync(Tenant, Email, Address, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(blockedFor, Is.EqualTo(TimeSpan.FromSeconds(8)));
            Assert.That(refusedFor, Is.EqualTo(TimeSpan.FromSeconds(8)));
            Assert.That(refusedOnceTheAccountsBlockEnded, Is.EqualTo(TimeSpan.FromSeconds(6)), "the address is still blocked");
        });
    }

    [TestCase("203.0.113.7", "password-ip:t:203.0.113.7")]
    [TestCase("::ffff:203.0.113.7", "password-ip:t:203.0.113.7")]
    [TestCase("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "password-ip:t:2001:db8:1:2::/64")]
    public void AddressKey_IsTheAddressOrItsSlash64(string address, string key) =>
        Assert.That(PasswordLockout.AddressKey(Tenant, IPAddress.Parse(address)), Is.EqualTo(key));

    [Test]
    public void AccountKey_IsTheTrimmedLowerCasedEmail() =>
        Assert.That(PasswordLockout.AccountKey(Tenant, "  Ada@Example.COM "), Is.EqualTo("password-account:t:ada@example.com"));

    private async Task FailAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.That(await lockout.ReserveAsync(Tenant, Email, Address, CancellationToken.None), Is.Null);
        }
    }
}
