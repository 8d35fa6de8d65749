using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Storage.PostgreSql;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>Two saves of one rule at once, through the admin API, on each provider: one version number is never given twice.</summary>
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
[NonParallelizable]
public sealed class RuleVersionConcurrencyTests(StorageProvider provider)
{
    private const string Tenant = "versions";
    private readonly ArmedReadBarrier barrier = new();
    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Each request's context joins the armed barrier. Two saves may run at once, as on two hosts (one host admits one
        // test run of a tenant at a time by default).
        (server, api) = await AdminApiServer.WithTenantAsync(RulesMfaServer.StartOnAsync(provider, services =>
        {
            services.ConfigureDbContext<RulesMfaDbContext>(options => options.AddInterceptors(barrier));
            services.ConfigureDbContext<PostgreSqlDbContext>(options => options.AddInterceptors(barrier));
        }, "--Sandbox:MaxConcurrentConsoleRunsPerTenant", "2"), Tenant);
    }

    [OneTimeTearDown]
    public Task StopAsync() => AdminApiServer.StopAsync(server, api);

    [Test]
    public async Task Save_TwoAtOnceAfterBothReadTheRule_OneIsSavedAndTheOtherIsAConflict()
    {
        await api.PutAsync("/rules/010-shared", new { source = Rule("first") });

        barrier.Armed = new ReadBarrier(2, "Rules");
        var saves = await Task.WhenAll(new[] { "second", "third" }.Select(text => Task.Run(() => api.PutAsync("/rules/010-shared", new { source = Rule(text) }))));
        barrier.Armed = null;
        var versions = await api.GetAsync("/rules/010-shared/versions");
        var current = await api.GetAsync("/rules/010-shared");

        Assert.Multiple(() =>
        {
            Assert.That(saves.Select(save => save.Status).Order(), Is.EqualTo(new[] { 200, 409 }), string.Join("\n", saves.Select(save => save.Text)));
            Assert.That(saves.Single(save => save.Status == 409).Json["detail"]!.GetValue<string>(),
                Is.EqualTo("Rule '010-shared' was changed by someone else at the same time; load it again and retry."));
            Assert.That(versions.Json.AsArray().Select(version => version!["version"]!.GetValue<int>()), Is.EqualTo(new[] { 2, 1 }), "no version number twice");
            Assert.That(current.Json["version"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(current.Json["source"]!.GetValue<string>(), Is.AnyOf(Rule("second"), Rule("third")), "the saved one is deployed");
        });
    }

    private static string Rule(string name) => $"function (user, context, callback) {{ /* {name} */ callback(null, user, context); }}";
}
