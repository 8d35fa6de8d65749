using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Tenants;

/// <summary>Which rules a tenant's logins run, in which order, and when the logins' pipeline is rebuilt.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class TenantRulesTests(StorageProvider provider)
{
    private TestDatabase store = null!;
    private readonly PipelineCache pipelines = new();

    [SetUp]
    public async Task CreateTenantAsync()
    {
        store = await TestDatabase.CreateAsync(provider);
        await using var database = store.NewContext();
        database.Tenants.Add(new TenantRecord { Id = "acme", DisplayName = "Acme", SettingsJson = new TenantSettings().ToJson(), CreatedAt = DateTimeOffset.UtcNow });
        database.Rules.AddRange(
            Rule("b-second", order: 20),
            Rule("z-first", order: 10),
            Rule("a-also-second", order: 20),
            Rule("disabled", order: 5, enabled: false));
        await database.SaveChangesAsync();
    }

    [TearDown]
    public void DeleteDatabase() => store.Dispose();

    [Test]
    public async Task Deployed_EnabledRulesOnly_ByOrderThenId()
    {
        await using var database = store.NewContext();

        var deployed = await Rules(database).DeployedAsync("acme", CancellationToken.None);

        Assert.That(deployed.Select(rule => rule.Id), Is.EqualTo(new[] { "z-first", "a-also-second", "b-second" }));
    }

    [Test]
    public async Task Deployed_SameOrder_TiesBrokenByTheIdsOrdinalOrderOnEveryProvider()
    {
        await using var database = store.NewContext();
        if (provider == StorageProvider.PostgreSql)
        {
            // As in a database created with an English locale (the test cluster's is C, which would hide the difference).
            await database.Database.ExecuteSqlRawAsync("ALTER TABLE \"Rules\" ALTER COLUMN \"RuleId\" TYPE text COLLATE \"en-US-x-icu\"");
        }

        database.Rules.AddRange(Rule("tie-ab", order: 30), Rule("tie-aB", order: 30), Rule("tie-a_b", order: 30), Rule("tie-a-b", order: 30), Rule("tie-a0", order: 30));
        await database.SaveChangesAsync();

        var deployed = await Rules(database).DeployedAsync("acme", CancellationToken.None);

        Assert.That(deployed.Select(rule => rule.Id).Where(id => id.StartsWith("tie-", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "tie-a-b", "tie-a0", "tie-aB", "tie-a_b", "tie-ab" }));
    }

    [Test]
    public async Task Load_ForLogins_ReusesThePipelineUntilTheSettingsChange()
    {
        RulePipeline first, again, afterChange;
        await using (var database = store.NewContext())
        {
            (first, _, _) = await Rules(database).LoadAsync("acme", CancellationToken.None);
            (again, _, _) = await Rules(database).LoadAsync("acme", CancellationToken.None);
            var tenant = await database.Tenants.FindAsync("acme");
            tenant!.SettingsJson = new TenantSettings { AlwaysRequireMfa = true }.ToJson();
            await database.SaveChangesAsync();
        }

        await using (var database = store.NewContext())
        {
            (afterChange, _, _) = await Rules(database).LoadAsync("acme", CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(first));
            Assert.That(afterChange, Is.Not.SameAs(first));
        });
    }

    [Test]
    public async Task Load_ForLogins_FindsThePipelineByTheStoredVersionHashesWithoutReadingTheSources()
    {
        const string Deny = "function (user, context, callback) { callback(new Error('no')); }";
        RulePipeline first, sourceOnly, withHash;
        await using (var database = store.NewContext())
        {
            (first, _, _) = await Rules(database).LoadAsync("acme", CancellationToken.None);
            // A source changed under an unchanged hash is not seen: the login did not read it.
            (await database.Rules.SingleAsync(rule => rule.RuleId == "z-first")).Source = Deny;
            await database.SaveChangesAsync();
            (sourceOnly, _, _) = await Rules(database).LoadAsync("acme", CancellationToken.None);
            (await database.Rules.SingleAsync(rule => rule.RuleId == "z-first")).VersionHash = RuleCompiler.VersionHashOf(Deny);
            await database.SaveChangesAsync();
            (withHash, _, _) = await Rules(database).LoadAsync("acme", CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(sourceOnly, Is.SameAs(first));
            Assert.That(withHash, Is.Not.SameAs(first));
            Assert.That(withHash.Evaluate(Some.Login()).Outcome, Is.EqualTo(RulesMfa.Engine.Decisions.DecisionOutcome.Deny), "rebuilt from the new source");
        });
    }

    [Test]
    public async Task Load_ForLogins_ReusesEnginesUnlessTheTenantAsksForAFreshEnginePerLogin()
    {
        RulePipeline pooled, fresh;
        await using (var database = store.NewContext())
        {
            (pooled, _, _) = await Rules(database).LoadAsync("acme", CancellationToken.None);
            var tenant = await database.Tenants.FindAsync("acme");
            tenant!.SettingsJson = TenantSettings.Parse("""{"freshEnginePerLogin": true}""").ToJson();
            await database.SaveChangesAsync();
        }

        await using (var database = store.NewContext())
        {
            (fresh, _, _) = await Rules(database).LoadAsync("acme", CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(pooled.Engines, Is.Not.Null, "by default a tenant's logins reuse the engines of its rule set's pool");
            Assert.That(fresh.Engines, Is.Null, "with the setting, every login gets a new engine");
        });
    }

    private TenantRules Rules(RulesMfaDbContext database) => new(database,
        new TenantConfiguration(database, new EphemeralDataProtectionProvider(), new AuditTrail(database, TimeProvider.System, NullLogger<AuditTrail>.Instance), TimeProvider.System),
        new RuleCircuitBreaker(TimeProvider.System), pipelines, RuleCompiler.Shared, new SandboxMaximums(SandboxMaximums.Defaults()), TimeProvider.System);

    private const string AllowSource = "function (user, context, callback) { callback(null, user, context); }";

    private static RuleRecord Rule(string id, int order, bool enabled = true) => new()
    {
        TenantId = "acme", RuleId = id, Order = order, Enabled = enabled, Source = AllowSource, VersionHash = RuleCompiler.VersionHashOf(AllowSource),
    };
}
