using RulesMfa.Engine.Sandbox;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admission;

/// <summary>
/// A tenant's evaluations past its places and queue, against the real server: console runs get a 429 that says why and
/// when to retry, and a login gets the OAuth error <c>temporarily_unavailable</c> at the app: never an allow.
/// </summary>
[NonParallelizable]
public sealed class AdmissionEndToEndTests
{
    private const string Tenant = "spin";
    private const string Password = "a long enough password";

    // Long enough that every request of a test arrives while the first still runs, on a loaded machine too.
    private static readonly TimeSpan SpinLimit = TimeSpan.FromSeconds(5);

    // Each turn of the loop scans 100,000 characters: the statement limit (100,000,000) would take minutes to reach, so
    // the time limit stops the spin however fast the engine runs statements.
    private const string SpinForSlowUsers =
        "function (user, context, callback) { if (user.email.startsWith('slow')) { const s = 'a'.repeat(100000); while (true) { s.indexOf('b'); } } callback(null, user, context); }";

    private const string Spin = "function (user, context, callback) { const s = 'a'.repeat(100000); while (true) { s.indexOf('b'); } }";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync(
            "--Sandbox:MaxConcurrentEvaluationsPerTenant", "1", "--Sandbox:EvaluationQueueLength", "0", "--Sandbox:ConsoleQueueLength", "0",
            "--Sandbox:Maximums:MaxStatements", "100000000");
        await server.AddTenantAsync(Tenant, new TenantSettings
        {
            Limits = new SandboxLimits { RuleTimeout = SpinLimit, PipelineTimeout = 2 * SpinLimit, MaxStatements = 100_000_000 },
        });
        await server.AddUserAsync(Tenant, "slow-1@spin.example", Password);
        await server.AddUserAsync(Tenant, "slow-2@spin.example", Password);
        await server.SetRulesAsync(Tenant, ("spin", SpinForSlowUsers));
        app = await RelyingParty.StartAsync(server, Tenant, "spin-web");
        api = await AdminApiClient.CreateAsync(server, Tenant);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task ConsoleFlood_PastTheTenantsConsolePlace_IsRefusedWith429AndRetryAfter()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = Enumerable.Range(0, 8).Select(async _ =>
        {
            await start.Task;
            return await api.PostAsync("/console/evaluate", new
            {
                rules = new[] { new { id = "spin", source = Spin } },
                input = new { user = new { }, context = new { } },
            });
        }).ToList();

        start.SetResult();
        var responses = await Task.WhenAll(runs);

        var ran = responses.Where(response => response.Status == 200).ToList();
        var refused = responses.Where(response => response.Status == 429).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ran, Has.Count.EqualTo(1), "one console run at a time");
            Assert.That(ran.Select(response => response.Json["decision"]!["error"]!["description"]!.GetValue<string>()),
                Is.EqualTo(new[] { "Rule 'spin' ran longer than its time limit of 5,000 ms." }));
            Assert.That(refused, Has.Count.EqualTo(7), string.Join("\n", responses.Select(response => $"{response.Status} {response.Text}")));
            Assert.That(refused.Select(response => response.Json["detail"]!.GetValue<string>()).Distinct(),
                Is.EqualTo(new[] { "Too many console evaluations of this tenant at once: every place to run and to wait is taken." }));
            Assert.That(refused.Select(response => response.Json["title"]!.GetValue<string>()).Distinct(),
                Is.EqualTo(new[] { "Too many rule evaluations; try again later." }));
            Assert.That(refused.Select(response => response.RetryAfter).Distinct(), Is.EqualTo(new TimeSpan?[] { TimeSpan.FromSeconds(1) }));
        });
    }

    [Test]
    public async Task Logins_PastTheTenantsPlaces_AreTemporarilyUnavailableAtTheApp_NeverAllowed()
    {
        using var first = new FormBrowser();
        using var second = new FormBrowser();
        var pages = await Task.WhenAll(first.GetAsync(app.BaseUrl + "/login"), second.GetAsync(app.BaseUrl + "/login"));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var logins = new[] { (first, pages[0], "slow-1@spin.example"), (second, pages[1], "slow-2@spin.example") }.Select(async login =>
        {
            await start.Task;
            return await login.Item1.SubmitAsync(login.Item2, new Dictionary<string, string> { ["Email"] = login.Item3, ["Password"] = Password });
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(logins);

        var errors = results.Select(result => (Code: result.Text("error"), Description: result.Text("error-description"))).OrderBy(error => error.Code).ToList();
        Assert.That(errors, Is.EqualTo(new[]
        {
            ("access_denied", "Rule 'spin' ran longer than its time limit of 5,000 ms."),
            ("temporarily_unavailable", "Too many login evaluations of this tenant at once: every place to run and to wait is taken."),
        }), string.Join("\n", results.Select(result => $"{result.Url}: {result.Html}")));
    }
}
