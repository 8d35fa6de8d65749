using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>Who may call a tenant's admin API: its own machine clients with the admin scope; nobody else.</summary>
[NonParallelizable]
public sealed class AdminAccessTests
{
    private RulesMfaServer server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("acme");
        await server.AddTenantAsync("globex");
    }

    [OneTimeTearDown]
    public Task StopAsync() => server.DisposeAsync().AsTask();

    [Test]
    public async Task ClientOfOneTenant_IsRefusedAtAnother()
    {
        using var acme = await AdminApiClient.CreateAsync(server, "acme");
        using var atGlobex = acme.At(server, "globex");

        var own = await acme.GetAsync("/rules");
        var foreign = await atGlobex.GetAsync("/rules");
        var foreignWrite = await atGlobex.PutAsync("/rules/x", new { source = "function (u, c, cb) { cb(null, u, c); }" });

        Assert.Multiple(() =>
        {
            Assert.That(own.Status, Is.EqualTo(200), own.Text);
            Assert.That(foreign.Status, Is.AnyOf(401, 403), foreign.Text);
            Assert.That(foreignWrite.Status, Is.AnyOf(401, 403), foreignWrite.Text);
        });
    }

    [Test]
    public async Task NoCredentials_Is401()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync($"{server.Issuer("acme")}/api/v1/rules");

        Assert.That((int)response.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task TokenWithoutTheAdminScope_Is403()
    {
        using var client = await AdminApiClient.CreateAsync(server, "acme", scope: "");

        var response = await client.GetAsync("/rules");

        Assert.That(response.Status, Is.EqualTo(403), response.Text);
    }

    [Test]
    public async Task ForgedToken_Is401()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");

        var response = await http.GetAsync($"{server.Issuer("acme")}/api/v1/rules");

        Assert.That((int)response.StatusCode, Is.EqualTo(401));
    }
}
