using System.Buffers.Text;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Mfa;

/// <summary>Remembered browsers on a real database (SQLite and PostgreSQL) with a clock the tests move.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class RememberedBrowsersTests(StorageProvider provider)
{
    private const string UserId = "rulesmfa|ada";
    private const string OtherUserId = "rulesmfa|grace";
    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;
    private RulesMfaDbContext database = null!;
    private RememberedBrowsers browsers = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using (var setup = NewContext())
        {
            setup.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t" });
            setup.Users.Add(new UserRecord { Id = UserId, TenantId = "t", Email = "ada@example.com", PasswordHash = "x" });
            setup.Users.Add(new UserRecord { Id = OtherUserId, TenantId = "t", Email = "grace@example.com", PasswordHash = "x" });
            await setup.SaveChangesAsync();
        }

        clock = new ManualTimeProvider(Some.Now);
        database = NewContext();
        browsers = new RememberedBrowsers(database, clock);
    }

    [TearDown]
    public async Task DeleteDatabaseAsync()
    {
        await database.DisposeAsync();
        store.Dispose();
    }

    [Test]
    public async Task IsRemembered_RightAfterRemember_IsTrue()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);

        var remembered = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.That(remembered, Is.True);
    }

    [Test]
    public async Task Remember_NewBrowser_StoresOnlyTheHashWithItsLimits()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);

        var stored = await database.RememberedBrowsers.AsNoTracking().SingleAsync();

        Assert.Multiple(() =>
        {
            Assert.That(Base64Url.DecodeFromChars(cookie), Has.Length.EqualTo(32), "a 256-bit token, base64url");
            Assert.That(stored.TokenHash, Does.Match("^[0-9a-f]{64}$"), "a SHA-256 hash in hex");
            Assert.That(new[] { stored.UserId, stored.TokenHash }, Has.None.Contains(cookie));
            Assert.That(stored.CreatedAt, Is.EqualTo(Some.Now));
            Assert.That(stored.LastUsedAt, Is.EqualTo(Some.Now));
            Assert.That(stored.ExpiresAt, Is.EqualTo(Some.Now + RememberedBrowsers.Lifetime));
            Assert.That(stored.RevokedAt, Is.Null);
        });
    }

    [Test]
    public async Task Remember_TwoBrowsers_GetDifferentTokens()
    {
        var first = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);

        var second = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public async Task IsRemembered_TokenOfAnotherUser_IsFalse()
    {
        var othersCookie = await browsers.RememberAsync(OtherUserId, RememberedBrowsers.Lifetime, CancellationToken.None);

        var remembered = await browsers.IsRememberedAsync(UserId, othersCookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.That(remembered, Is.False);
    }

    [Test]
    public async Task IsRemembered_Revoked_IsFalse()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        await database.RememberedBrowsers.ExecuteUpdateAsync(browser => browser.SetProperty(record => record.RevokedAt, Some.Now));

        var remembered = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.That(remembered, Is.False);
    }

    [Test]
    public async Task IsRemembered_IdleForSevenDays_IsFalse()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        clock.Advance(RememberedBrowsers.IdleTimeout);

        var remembered = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.That(remembered, Is.False);
    }

    [Test]
    public async Task IsRemembered_IdleJustUnderSevenDays_IsTrue()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        clock.Advance(RememberedBrowsers.IdleTimeout - TimeSpan.FromSeconds(1));

        var remembered = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.That(remembered, Is.True);
    }

    [Test]
    public async Task IsRemembered_UsedEverySixDays_StaysValidUntilDayThirtyAndNotAfter()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        var uses = new List<bool>();
        foreach (var day in new[] { 6, 12, 18, 24 })
        {
            clock.Now = Some.Now.AddDays(day);
            uses.Add(await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None));
        }

        clock.Now = Some.Now.AddDays(30).AddSeconds(-1);
        var justBeforeDayThirty = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);
        clock.Now = Some.Now.AddDays(30);
        var atDayThirty = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);
        clock.Now = Some.Now.AddDays(31);
        var afterDayThirty = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        var stored = await database.RememberedBrowsers.AsNoTracking().SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(uses, Is.All.True, "each use within the idle window slides it");
            Assert.That(justBeforeDayThirty, Is.True);
            Assert.That(atDayThirty, Is.False, "the absolute lifetime ends at day 30");
            Assert.That(afterDayThirty, Is.False);
            Assert.That(stored.LastUsedAt, Is.EqualTo(Some.Now.AddDays(30).AddSeconds(-1)), "the last accepted use");
            Assert.That(stored.ExpiresAt, Is.EqualTo(Some.Now.AddDays(30)), "use does not move the absolute limit");
        });
    }

    [Test]
    public async Task IsRemembered_TenantLoweredItsDaysSince_LapsesByTheNewDaysFromWhenItWasRemembered()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        var lowered = TimeSpan.FromDays(2);

        clock.Now = Some.Now.AddDays(2).AddSeconds(-1);
        var justBefore = await browsers.IsRememberedAsync(UserId, cookie, lowered, CancellationToken.None);
        clock.Now = Some.Now.AddDays(2);
        var atTheNewLimit = await browsers.IsRememberedAsync(UserId, cookie, lowered, CancellationToken.None);
        var byItsOwnDays = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(justBefore, Is.True);
            Assert.That(atTheNewLimit, Is.False, "2 days after it was remembered, the tenant's days now");
            Assert.That(byItsOwnDays, Is.True, "not revoked: the 30 days it was remembered for still hold where the tenant allows them");
        });
    }

    [Test]
    public async Task IsRemembered_RejectedUse_DoesNotSlideTheIdleWindow()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        clock.Advance(RememberedBrowsers.IdleTimeout);
        await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        var stored = await database.RememberedBrowsers.AsNoTracking().SingleAsync();

        Assert.That(stored.LastUsedAt, Is.EqualTo(Some.Now));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not a token")]
    [TestCase("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [TestCase("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task IsRemembered_MalformedCookie_IsFalse(string? cookie)
    {
        await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);

        var remembered = await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.That(remembered, Is.False);
    }

    [Test]
    public async Task IsRemembered_WellFormedUnknownToken_IsFalse()
    {
        var cookie = await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        var unknown = (cookie[0] == 'A' ? "B" : "A") + cookie[1..];

        var remembered = await browsers.IsRememberedAsync(UserId, unknown, RememberedBrowsers.Lifetime, CancellationToken.None);

        Assert.That(remembered, Is.False);
    }

    [Test]
    public async Task ForgetAll_ActiveBrowsers_RevokesThemAllAndReturnsTheCount()
    {
        var cookies = new[]
        {
            await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None),
            await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None),
            await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None),
        };
        var othersCookie = await browsers.RememberAsync(OtherUserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));

        var forgotten = await browsers.ForgetAllAsync(UserId, CancellationToken.None);

        var stillRemembered = new List<bool>();
        foreach (var cookie in cookies)
        {
            stillRemembered.Add(await browsers.IsRememberedAsync(UserId, cookie, RememberedBrowsers.Lifetime, CancellationToken.None));
        }

        var revokedAt = await database.RememberedBrowsers.AsNoTracking().Where(browser => browser.UserId == UserId)
            .Select(browser => browser.RevokedAt).ToListAsync();
        var othersRemembered = await browsers.IsRememberedAsync(OtherUserId, othersCookie, RememberedBrowsers.Lifetime, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(forgotten, Is.EqualTo(3));
            Assert.That(stillRemembered, Is.All.False);
            Assert.That(revokedAt, Is.All.EqualTo(Some.Now.AddHours(1)));
            Assert.That(othersRemembered, Is.True, "another user's browsers are untouched");
        });
    }

    [Test]
    public async Task ForgetAll_AlreadyRevokedOrLapsed_CountsOnlyActiveOnes()
    {
        await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        await browsers.ForgetAllAsync(UserId, CancellationToken.None);
        await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);
        clock.Advance(RememberedBrowsers.IdleTimeout);
        await browsers.RememberAsync(UserId, RememberedBrowsers.Lifetime, CancellationToken.None);

        var forgotten = await browsers.ForgetAllAsync(UserId, CancellationToken.None);

        Assert.That(forgotten, Is.EqualTo(1));
    }

    [Test]
    public async Task ForgetAll_NoBrowsers_ReturnsZero()
    {
        var forgotten = await browsers.ForgetAllAsync(UserId, CancellationToken.None);

        Assert.That(forgotten, Is.Zero);
    }

    private RulesMfaDbContext NewContext() => store.NewContext();
}
