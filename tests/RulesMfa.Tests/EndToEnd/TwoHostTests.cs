using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Storage.PostgreSql;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// Two RulesMfa hosts on one PostgreSQL database behind a load balancer (<see cref="LoadBalancer"/>), with the stock
/// OpenID Connect client: what one host starts, stores or uses, the other honours.
/// </summary>
[NonParallelizable]
public sealed class TwoHostTests
{
    private const string Tenant = "acme";
    private const string Email = "ada@acme.example";
    private const string Password = "a long enough password";
    private const string AlwaysMfa = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: false }; callback(null, user, context); }";
    private const string DenyAll = "function (user, context, callback) { callback(new UnauthorizedError('Saved through host A.')); }";

    private TestDatabase store = null!;
    private ManualTimeProvider clock = null!;
    private RulesMfaServer hostA = null!;
    private RulesMfaServer hostB = null!;
    private RelyingParty app = null!;
    private byte[] totpKey = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        store = await TestDatabase.CreateAsync(StorageProvider.PostgreSql);
        // One clock for both hosts (as NTP gives real ones), moved a TOTP step between logins so that each has a fresh code.
        clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        hostA = await RulesMfaServer.StartAsync(clock, [.. store.ServerArguments]);
        hostB = await RulesMfaServer.StartAsync(clock, [.. store.ServerArguments]);
        await hostA.AddTenantAsync(Tenant);
        await hostA.AddUserAsync(Tenant, Email, Password);
        await hostA.SetRulesAsync(Tenant, ("010-always-mfa", AlwaysMfa));
        app = await RelyingParty.StartAsync(hostA, Tenant, "acme-web");

        // Enrolled through host A.
        using var browser = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(browser, app, Email, Password);
        Assert.That(enrollment.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa/enroll"), enrollment.Html);
        totpKey = LoginFlow.KeyFrom(enrollment);
        var recovery = await LoginFlow.SubmitCodeAsync(browser, enrollment, CurrentCode());
        await LoginFlow.FollowAsync(browser, recovery, "continue");
        await LoginFlow.MeAsync(browser, app);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await hostA.DisposeAsync();
        await hostB.DisposeAsync();
        store.Dispose();
    }

    [SetUp]
    public void NextTotpStep() => clock.Advance(TimeSpan.FromSeconds(30));

    [Test]
    public async Task Login_StartedOnHostA_FinishesMfaOnHostB()
    {
        var balancer = new LoadBalancer(new Uri(hostA.BaseUrl));
        using var browser = new FormBrowser(balancer: balancer);
        var challenge = await LoginFlow.SignInAsync(browser, app, Email, Password);
        Assert.That(challenge.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), challenge.Html);

        balancer.Target = new Uri(hostB.BaseUrl);
        var done = await LoginFlow.SubmitCodeAsync(browser, challenge, CurrentCode());
        var me = await LoginFlow.MeAsync(browser, app);

        // Host B read host A's MFA cookie (one Data Protection key ring), issued the authorization code that the app redeemed
        // at host A (one OpenIddict store and encryption key), and both publish the same signing key.
        Assert.Multiple(() =>
        {
            Assert.That(LoginFlow.Amr(me), Is.SupersetOf(new[] { "pwd", "otp", "mfa" }), done.Html);
            Assert.That(balancer.ConnectionsTo(new Uri(hostB.BaseUrl)), Is.GreaterThan(0), "the code went to host B");
        });
    }

    [Test]
    public async Task TotpCode_UsedOnHostA_IsRefusedOnHostB()
    {
        var code = CurrentCode();
        using (var onA = new FormBrowser())
        {
            await LoginFlow.SubmitCodeAsync(onA, await LoginFlow.SignInAsync(onA, app, Email, Password), code);
            await LoginFlow.MeAsync(onA, app);
        }

        var balancer = new LoadBalancer(new Uri(hostA.BaseUrl)) { Target = new Uri(hostB.BaseUrl) };
        using var onB = new FormBrowser(balancer: balancer);
        var challenge = await LoginFlow.SignInAsync(onB, app, Email, Password);
        var replayed = await LoginFlow.SubmitCodeAsync(onB, challenge, code);

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), challenge.Html);
            Assert.That(replayed.Text("mfa-error"), Is.EqualTo("This code was already used. Wait for the next code in your app and enter it."), replayed.Html);
        });
    }

    [Test]
    public async Task Rule_SavedThroughHostA_DecidesTheNextLoginOnHostB()
    {
        var balancer = new LoadBalancer(new Uri(hostA.BaseUrl)) { Target = new Uri(hostB.BaseUrl) };
        using (var before = new FormBrowser(balancer: balancer))
        {
            // Host B builds and caches the tenant's pipeline (MFA for everyone).
            var challenge = await LoginFlow.SignInAsync(before, app, Email, Password);
            Assert.That(challenge.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), challenge.Html);
        }

        using var api = await AdminApiClient.CreateAsync(hostA, Tenant);
        var saved = await api.PutAsync("/rules/005-deny-all", new { source = DenyAll });
        using var after = new FormBrowser(balancer: balancer);
        var denied = await LoginFlow.SignInAsync(after, app, Email, Password);

        Assert.Multiple(() =>
        {
            Assert.That(saved.Status, Is.EqualTo(201).Or.EqualTo(200), saved.Text);
            Assert.That(denied.Text("error"), Is.EqualTo("unauthorized"), denied.Html);
            Assert.That(denied.Text("error-description"), Is.EqualTo("Saved through host A."));
        });
        await api.DeleteAsync("/rules/005-deny-all");
    }

    [Test]
    public async Task Hosts_StartingAtOnceOnAnEmptyDatabase_CreateOneKeySet()
    {
        using var empty = await TestDatabase.CreateAsync(StorageProvider.PostgreSql, migrated: false);
        // Each host waits, once it has looked for its keys and found none, until the other has looked too: both then create.
        var reads = new ReadBarrier(2, "SigningKeys");
        var starting = Enumerable.Range(0, 2).Select(_ => RulesMfaServer.StartAsync(null,
            services => services.ConfigureDbContext<PostgreSqlDbContext>(options => options.AddInterceptors(reads.ForOneParticipant())),
            [.. empty.ServerArguments])).ToList();
        var hosts = await Task.WhenAll(starting);
        try
        {
            var keySets = await Task.WhenAll(hosts.Select(host => new HttpClient().GetStringAsync($"{host.Issuer(DemoTenantSeeder.TenantId)}/.well-known/jwks")));
            await using var database = empty.NewContext();
            var stored = await database.SigningKeys.Select(key => key.Purpose).OrderBy(purpose => purpose).ToListAsync();

            Assert.Multiple(() =>
            {
                Assert.That(KeyIds(keySets[1]), Is.EqualTo(KeyIds(keySets[0])).And.Count.EqualTo(1), "both hosts sign with one key");
                Assert.That(stored, Is.EqualTo(new[] { "encryption", "signing" }), "one key of each purpose stored");
            });
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static List<string> KeyIds(string jwks) =>
        JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()!).ToList();

    private string CurrentCode() => new Totp(totpKey).ComputeTotp(clock.GetUtcNow().UtcDateTime);
}
