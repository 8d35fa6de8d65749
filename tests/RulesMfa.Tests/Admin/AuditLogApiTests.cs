using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Admin.AuditLog;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// <c>GET /audit</c> on the real server: newest first, a page at a time through the <c>Link</c> header, filtered by type,
/// actor and time, one tenant's events only; bad filters are named; one request reads a bounded number of events.
/// </summary>
[NonParallelizable]
public sealed class AuditLogApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    private RulesMfaServer server = null!;
    private AdminApiClient badFilters = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        badFilters = await TenantWithEventsAsync("bad-filters", 1, index => ("rule.saved", "user:a"));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        badFilters.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Pages_FollowingTheLinkHeader_ListEveryEventOnceNewestFirst()
    {
        using var api = await TenantWithEventsAsync("pages", 120, index => ("rule.saved", "user:alice"));

        var pages = new List<AdminApiClient.Response> { await api.GetAsync("/audit?limit=50") };
        while (pages[^1].Link is { } next && pages.Count < 5)
        {
            pages.Add(await api.GetAsync(next));
        }

        var details = pages.SelectMany(page => page.Json.AsArray()).Select(entry => entry!["detail"]!.GetValue<string>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pages.Select(page => page.Json.AsArray().Count), Is.EqualTo(new[] { 50, 50, 20 }));
            Assert.That(pages[^1].Link, Is.Null, "no next page after the last");
            Assert.That(details, Is.EqualTo(Enumerable.Range(0, 120).Reverse().Select(index => $"event {index}")));
        });
    }

    [Test]
    public async Task Filters_ByTypeFamilyActorAndTime_KeepOnlyMatchingEvents()
    {
        var kinds = new[] { ("rule.saved", "user:alice"), ("rule.deleted", "client:deployer"), ("settings.changed", "user:bob"), ("rule.saved", "user:bob") };
        using var api = await TenantWithEventsAsync("filters", 40, index => kinds[index % kinds.Length]);

        var family = await api.GetAsync("/audit?action=rule&limit=200");
        var exact = await api.GetAsync("/audit?action=rule.saved&actor=bob&limit=200");
        var window = await api.GetAsync($"/audit?from={Uri.EscapeDataString(Start.AddMinutes(10).ToString("O"))}&to={Uri.EscapeDataString(Start.AddMinutes(19).ToString("O"))}&limit=200");

        Assert.Multiple(() =>
        {
            Assert.That(Actions(family), Has.Count.EqualTo(30).And.All.StartWith("rule."));
            Assert.That(Actions(exact), Has.Count.EqualTo(10).And.All.EqualTo("rule.saved"));
            Assert.That(exact.Json.AsArray().Select(entry => entry!["actor"]!.GetValue<string>()), Is.All.EqualTo("user:bob"));
            Assert.That(window.Json.AsArray().Select(entry => entry!["detail"]!.GetValue<string>()),
                Is.EqualTo(Enumerable.Range(10, 10).Reverse().Select(index => $"event {index}")));
        });
    }

    [Test]
    public async Task Events_OfAnotherTenant_AreNeverListed()
    {
        using var api = await TenantWithEventsAsync("mine", 3, index => ("rule.saved", "user:me"));
        using var other = await TenantWithEventsAsync("theirs", 3, index => ("settings.changed", "user:them"));

        var listed = await api.GetAsync("/audit?limit=200");

        Assert.That(Actions(listed), Is.EqualTo(new[] { "rule.saved", "rule.saved", "rule.saved" }));
    }

    [TestCase("from=yesterday", "from", "not a time")]
    [TestCase("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to", "must not be before 'from'")]
    [TestCase("limit=0", "limit", "from 1 to 200")]
    [TestCase("limit=201", "limit", "from 1 to 200")]
    [TestCase("before=abc", "before", "event id")]
    public async Task BadFilter_IsRefusedNamingTheField(string query, string field, string message)
    {
        var refused = await badFilters.GetAsync($"/audit?{query}");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.Contain(message));
        });
    }

    [Test]
    public async Task TimeFilter_MatchingNothingInAHugeLog_ReadsAtMostMaxScannedEventsAndLinksOnFromThere()
    {
        var events = AuditLogReader.MaxScanned + 1;
        using var api = await TenantWithEventsAsync("huge", events, index => ("rule.saved", "user:a"));

        var page = await api.GetAsync($"/audit?to={Uri.EscapeDataString(Start.AddMinutes(-1).ToString("O"))}");
        var ids = await server.WithServicesAsync(services => Task.FromResult(
            services.GetRequiredService<RulesMfaDbContext>().Audit.Where(record => record.TenantId == "huge").OrderByDescending(record => record.Id).Select(record => record.Id).ToList()));

        Assert.Multiple(() =>
        {
            Assert.That(page.Status, Is.EqualTo(200), page.Text);
            Assert.That(page.Json.AsArray(), Is.Empty);
            Assert.That(page.Link, Does.Contain($"before={ids[AuditLogReader.MaxScanned - 1]}"), "the page stops after MaxScanned events and says where to go on");
        });
    }

    private static List<string> Actions(AdminApiClient.Response response) =>
        response.Json.AsArray().Select(entry => entry!["action"]!.GetValue<string>()).ToList();

    /// <summary>A tenant whose audit log holds <paramref name="count"/> events a minute apart from <see cref="Start"/>, and its API client.</summary>
    private async Task<AdminApiClient> TenantWithEventsAsync(string tenant, int count, Func<int, (string Action, string Actor)> kind)
    {
        await server.AddTenantAsync(tenant);
        await server.WithServicesAsync(async services =>
        {
            var database = services.GetRequiredService<RulesMfaDbContext>();
            database.Audit.AddRange(Enumerable.Range(0, count).Select(index => new AuditRecord
            {
                TenantId = tenant, At = Start.AddMinutes(index), Actor = kind(index).Actor, Action = kind(index).Action, Target = "010-rule", Detail = $"event {index}",
            }));
            return await database.SaveChangesAsync();
        });
        return await AdminApiClient.CreateAsync(server, tenant);
    }
}
