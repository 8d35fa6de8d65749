namespace RulesMfa.Tests.EndToEnd;

/// <summary>Every hosted page refuses to be framed, forbids content sniffing and keeps its address from other origins.</summary>
[NonParallelizable]
public sealed class SecurityHeadersTests
{
    private const string Tenant = "frames";
    private const string Admin = "admin@frames.example";
    private const string Password = "a long enough password";

    private RulesMfaServer server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        await server.AddUserAsync(Tenant, Admin, Password, isAdmin: true);
    }

    [OneTimeTearDown]
    public Task StopAsync() => server.DisposeAsync().AsTask();

    [Test]
    public async Task EveryPage_SendsFrameAncestorsNoneAndItsCompanions()
    {
        var pages = new Dictionary<string, FormBrowser.Page>();
        var issuer = server.Issuer(Tenant);
        using (var first = new FormBrowser())
        {
            pages["password"] = await first.GetAsync($"{issuer}/admin");
            pages["enrollment"] = await first.SubmitAsync(pages["password"], new Dictionary<string, string> { ["Email"] = Admin, ["Password"] = Password });
            pages["new recovery code"] = await LoginFlow.SubmitCodeAsync(first, pages["enrollment"], LoginFlow.CodeFor(LoginFlow.KeyFrom(pages["enrollment"])));
            pages["console"] = await LoginFlow.FollowAsync(first, pages["new recovery code"], "continue");
            pages["logout confirmation"] = await first.GetAsync($"{issuer}/connect/logout");
        }

        using (var second = new FormBrowser())
        {
            var password = await second.GetAsync($"{issuer}/admin");
            pages["challenge"] = await second.SubmitAsync(password, new Dictionary<string, string> { ["Email"] = Admin, ["Password"] = Password });
            pages["start"] = await second.GetAsync($"{issuer}/");
            pages["signed out"] = await second.GetAsync($"{issuer}/logged-out");
            pages["error"] = await second.GetAsync($"{issuer}/error");
            pages["not found"] = await second.GetAsync($"{issuer}/nothing-here");
            pages["unknown tenant"] = await second.GetAsync($"{server.BaseUrl}/no-such-tenant/login");
        }

        Assert.Multiple(() =>
        {
            Assert.That(pages["enrollment"].Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa/enroll"));
            Assert.That(pages["console"].Document.GetElementById("rule-list"), Is.Not.Null);
            Assert.That(pages["logout confirmation"].Document.GetElementById("confirm-logout"), Is.Not.Null);
            Assert.That(pages["challenge"].Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"));
            Assert.That(pages["console"].Header("Content-Security-Policy"), Does.Contain("script-src 'self'"), "the console keeps its own policy");
            foreach (var (name, page) in pages)
            {
                Assert.That(page.Header("Content-Security-Policy"), Does.Contain("frame-ancestors 'none'"), name);
                Assert.That(page.Header("X-Frame-Options"), Is.EqualTo("DENY"), name);
                Assert.That(page.Header("X-Content-Type-Options"), Is.EqualTo("nosniff"), name);
                Assert.That(page.Header("Referrer-Policy"), Is.EqualTo("strict-origin-when-cross-origin"), name);
            }
        });
    }
}
