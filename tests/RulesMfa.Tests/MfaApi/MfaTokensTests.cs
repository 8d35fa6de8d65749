using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.MfaApi;

/// <summary>An <c>mfa_token</c>'s login completes once, whatever the concurrency: of grants that all read it live, one wins.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class MfaTokensTests(StorageProvider provider)
{
    [Test]
    public async Task Complete_RacedByFourRequestsThatAllReadTheTokenLive_SucceedsOnce()
    {
        using var store = await TestDatabase.CreateAsync(provider);
        string token;
        await using (var setup = store.NewContext())
        {
            setup.Tenants.Add(new TenantRecord { Id = "t", DisplayName = "t", SettingsJson = new TenantSettings().ToJson(), CreatedAt = DateTimeOffset.UtcNow });
            setup.Users.Add(new UserRecord { Id = "u", TenantId = "t", Email = "u@t.example", PasswordHash = "", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            await setup.SaveChangesAsync();
            var login = new MfaApiLogin(new MfaTransaction("u", "client", Enroll: false, ["otp"], true, false, [], [], null),
                LoginSession.AfterPassword("u", "t", DateTimeOffset.UtcNow), ["openid"], null);
            token = await new MfaTokens(setup, TimeProvider.System).IssueAsync("t", "client", login, CancellationToken.None);
        }

        var reads = new ReadBarrier(4, "MfaTokens");
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var database = store.NewContext(reads.ForOneParticipant());
            var tokens = new MfaTokens(database, TimeProvider.System);
            var live = (MfaTokenLookup.Live)await tokens.FindAsync(token, "t", CancellationToken.None);
            return await tokens.CompleteAsync(live.Record, CancellationToken.None);
        })));

        Assert.That(results.Count(completed => completed), Is.EqualTo(1));
    }
}
