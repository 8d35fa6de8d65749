using RulesMfa.Tests.DuoStandIn;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// Duo's API host is a tenant setting (<c>duo.apiHostname</c>) and a rule's own (<c>host</c>), so tenant admins and their
/// rules choose where the server posts its health check and code exchange. Duo's API is always on the internet: a host on
/// the server's own network (here the Duo stand-in on loopback, with a certificate the server trusts) is refused when
/// connecting, before anything is sent, as phone webhooks are, unless the operator sets <c>Duo:AllowPrivateNetwork</c>.
/// </summary>
[NonParallelizable]
public sealed class DuoAddressAttackTests
{
    private const string Password = "a long enough password";
    private const string DuoRule = "function (user, context, callback) { context.multifactor = { provider: 'duo' }; callback(null, user, context); }";
    private readonly TempFolder logs = new();
    private DuoStandInServer internalHost = null!;
    private RulesMfaServer server = null!;

    private string LogFile => Path.Combine(logs.Path, "rulesmfa.json");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        internalHost = await DuoStandInServer.StartAsync();
        server = await RulesMfaServer.StartAsync(clock: null, internalHost.TrustIn, "--Server:LogFile", LogFile);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await server.DisposeAsync();
        await internalHost.DisposeAsync();
        logs.Dispose();
    }

    [Test]
    public async Task TenantsDuoHostOnTheServersNetwork_IsNeverCalled_AndTheLoginIsDeniedAsDuoUnreachable()
    {
        var duoApp = internalHost.AddApplication();
        await server.AddDuoTenantAsync("duoinside", internalHost.ApiHost, duoApp.ClientId, duoApp.Secret);
        await server.SetRulesAsync("duoinside", ("010-duo", DuoRule));

        var (outage, calls) = await ContinueWithDuoAsync("duoinside");

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.Empty, "no request reached the host on the server's network");
            Assert.That(outage.Url.AbsolutePath, Is.EqualTo("/duoinside/mfa/unavailable"), outage.Html);
            Assert.That(outage.Text("outage"), Does.StartWith("Duo, which verifies your sign-in, cannot be reached right now"));
            Assert.That(File.ReadAllText(LogFile), Does.Contain("\"AuditEvent\":\"mfa.duo-unavailable\""));
        });
    }

    [Test]
    public async Task RulesDuoHostOnTheServersNetwork_IsNeverCalled_AndTheLoginIsDeniedAsDuoUnreachable()
    {
        var duoApp = internalHost.AddApplication();
        var ruleApp = internalHost.AddApplication();
        await server.AddDuoTenantAsync("duoruleinside", "api-00000000.duosecurity.com", duoApp.ClientId, duoApp.Secret);
        await server.SetRulesAsync("duoruleinside", ("010-duo",
            $"function (user, context, callback) {{ context.multifactor = {{ provider: 'duo', host: '{internalHost.ApiHost}', ikey: '{ruleApp.ClientId}', skey: '{ruleApp.Secret}' }}; callback(null, user, context); }}"));

        var (outage, calls) = await ContinueWithDuoAsync("duoruleinside");

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.Empty, "no request reached the host on the server's network");
            Assert.That(outage.Text("outage"), Does.StartWith("Duo, which verifies your sign-in, cannot be reached right now"));
        });
    }

    /// <summary>Signs a new user of <paramref name="tenant"/> in and presses "Continue with Duo": the page, and the calls the internal host received.</summary>
    private async Task<(FormBrowser.Page Page, IReadOnlyList<DuoStandInServer.Call> Calls)> ContinueWithDuoAsync(string tenant)
    {
        await using var app = await RelyingParty.StartAsync(server, tenant, $"{tenant}-web");
        var email = $"ann-{Guid.NewGuid():N}@{tenant}.example";
        await server.AddUserAsync(tenant, email, Password);
        using var browser = new FormBrowser(chainPolicy: internalHost.Certificates.ChainPolicy());
        var before = internalHost.Calls.Count;

        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var page = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        return (page, internalHost.Calls.Skip(before).ToList());
    }
}
