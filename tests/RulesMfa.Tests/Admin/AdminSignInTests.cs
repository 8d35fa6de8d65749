using System.Net;
using RulesMfa.Host.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// Admins sign in to the console through their tenant's own login, always with MFA; the console's API calls use that
/// session (with the console header). Users who are not admins, sessions without MFA and other tenants are refused.
/// </summary>
[NonParallelizable]
public sealed class AdminSignInTests
{
    private const string Password = "a long enough password";

    private RulesMfaServer server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        foreach (var tenant in new[] { "acme", "globex" })
        {
            await server.AddTenantAsync(tenant);
            await server.AddUserAsync(tenant, $"admin@{tenant}.example", Password, isAdmin: true);
            await server.AddUserAsync(tenant, $"member@{tenant}.example", Password);
        }
    }

    [OneTimeTearDown]
    public Task StopAsync() => server.DisposeAsync().AsTask();

    [Test]
    public async Task Admin_SignsInWithMfa_AndTheConsoleSessionReachesOnlyItsTenantsApi()
    {
        using var browser = new FormBrowser();

        var console = await SignInAsAdminAsync(browser, "acme");
        var withHeader = await ApiAsync(browser, "acme", withConsoleHeader: true);
        var withoutHeader = await ApiAsync(browser, "acme", withConsoleHeader: false);
        var session = browser.Cookies.GetCookies(new Uri(server.Issuer("acme") + "/")).Single(cookie => cookie.Name == "rulesmfa.session");
        using var forged = new HttpRequestMessage(HttpMethod.Get, $"{server.Issuer("globex")}/api/v1/rules");
        forged.Headers.Add("Cookie", $"{session.Name}={session.Value}");
        forged.Headers.Add(AdminAccess.ConsoleHeader, "1");
        using var stranger = new HttpClient();
        var atGlobex = await stranger.SendAsync(forged);

        Assert.Multiple(() =>
        {
            Assert.That(console.Document.GetElementById("rule-list"), Is.Not.Null, $"{console.Url}\n{console.Html}");
            Assert.That(console.Text("admin-email"), Is.EqualTo("admin@acme.example"));
            Assert.That((int)withHeader.StatusCode, Is.EqualTo(200));
            Assert.That((int)withoutHeader.StatusCode, Is.EqualTo(403), "a cookie request without the console header could be a cross-site forgery");
            Assert.That((int)atGlobex.StatusCode, Is.EqualTo(401), "acme's session is not a globex session");
        });
    }

    [Test]
    public async Task Member_IsRefusedTheConsoleAndTheApi()
    {
        using var browser = new FormBrowser();

        var login = await browser.GetAsync($"{server.Issuer("acme")}/admin");
        var refused = await browser.SubmitAsync(login, new Dictionary<string, string> { ["Email"] = "member@acme.example", ["Password"] = Password });
        var api = await ApiAsync(browser, "acme", withConsoleHeader: true);

        Assert.Multiple(() =>
        {
            Assert.That((int)refused.Status, Is.EqualTo(403));
            Assert.That(refused.Text("refused"), Is.EqualTo("You are signed in, but not as an admin of this tenant."));
            Assert.That((int)api.StatusCode, Is.EqualTo(403));
        });
    }

    [Test]
    public async Task Admin_WithoutMfaYet_IsRefusedByTheApi()
    {
        using var browser = new FormBrowser();

        var login = await browser.GetAsync($"{server.Issuer("globex")}/admin");
        var enrollment = await browser.SubmitAsync(login, new Dictionary<string, string> { ["Email"] = "admin@globex.example", ["Password"] = Password });
        var api = await ApiAsync(browser, "globex", withConsoleHeader: true);

        Assert.Multiple(() =>
        {
            Assert.That(enrollment.Url.AbsolutePath, Is.EqualTo("/globex/mfa/enroll"), "the console always asks for MFA");
            Assert.That((int)api.StatusCode, Is.EqualTo(403), "a password alone does not open the admin API");
        });
    }

    private async Task<FormBrowser.Page> SignInAsAdminAsync(FormBrowser browser, string tenant)
    {
        var login = await browser.GetAsync($"{server.Issuer(tenant)}/admin");
        var enrollment = await browser.SubmitAsync(login, new Dictionary<string, string> { ["Email"] = $"admin@{tenant}.example", ["Password"] = Password });
        Assert.That(enrollment.Url.AbsolutePath, Is.EqualTo($"/{tenant}/mfa/enroll"), enrollment.Html);
        var recovery = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        return await LoginFlow.FollowAsync(browser, recovery, "continue");
    }

    private async Task<HttpResponseMessage> ApiAsync(FormBrowser browser, string tenant, bool withConsoleHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Issuer(tenant)}/api/v1/rules");
        if (withConsoleHeader)
        {
            request.Headers.Add(AdminAccess.ConsoleHeader, "1");
        }

        return await browser.SendAsync(request);
    }
}
