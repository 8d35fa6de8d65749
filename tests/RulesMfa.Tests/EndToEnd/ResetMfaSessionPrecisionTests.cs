using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The session cookie keeps its password time to the millisecond, the database the time of the MFA reset to its own
/// precision (PostgreSQL: the microsecond, cut off; SQLite: the tick). A session whose password came in the same
/// millisecond as the reset, just before it, must be over on either database.
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class ResetMfaSessionPrecisionTests(StorageProvider provider)
{
    private const string Tenant = "instant";
    private const string Password = "a long enough password";

    private ManualTimeProvider clock = null!;
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private AdminApiClient admin = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // Two ticks past a whole millisecond: the reset, three ticks later, falls in the millisecond's first microsecond.
        clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).AddTicks(2));
        server = await RulesMfaServer.StartOnAsync(provider, services => services.AddSingleton<TimeProvider>(clock));
        await server.AddTenantAsync(Tenant);
        await server.SetRulesAsync(Tenant, ("010-mfa", "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: false }; callback(null, user, context); }"));
        app = await RelyingParty.StartAsync(server, Tenant, "instant-web");
        admin = await AdminApiClient.CreateAsync(server, Tenant);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        admin.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task SessionFromTheResetsOwnMillisecond_JustBeforeIt_IsOver()
    {
        const string email = "owner@instant.example";
        await server.AddUserAsync(Tenant, email, Password);
        using var laptop = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(laptop, app, email, Password);
        Assert.That(enrollment.Text("secret-key"), Is.Not.Null, enrollment.Html);
        clock.Advance(TimeSpan.FromTicks(3));
        var userId = (await server.GetUserAsync(Tenant, email)).Id;
        var reset = await admin.PostAsync($"/users/{Uri.EscapeDataString(userId)}/reset-mfa", new { confirm = true });
        Assert.That(reset.Status, Is.EqualTo(200), reset.Text);

        var enrollAgain = await laptop.GetAsync($"{server.Issuer(Tenant)}/mfa/enroll?returnUrl=%2F");

        Assert.Multiple(() =>
        {
            Assert.That(enrollAgain.Text("mfa-error"), Is.EqualTo("Your sign-in has expired. Go back to the application and sign in again."), enrollAgain.Html);
            Assert.That(enrollAgain.Text("secret-key"), Is.Null, "no authenticator key for the session from before the reset");
        });
    }
}
