using System.Net;
using System.Text.Json;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>What any client sees before signing in: discovery, keys, health, and unknown tenants.</summary>
[NonParallelizable]
public sealed class ServerEndpointsTests
{
    [Test]
    public async Task Discovery_DemoTenant_AdvertisesCodeFlowWithS256OnlyAndTheStepUpAcr()
    {
        await using var server = await RulesMfaServer.StartAsync();
        using var http = new HttpClient();

        var discovery = JsonDocument.Parse(await http.GetStringAsync($"{server.Issuer("demo")}/.well-known/openid-configuration")).RootElement;
        var keys = JsonDocument.Parse(await http.GetStringAsync(discovery.GetProperty("jwks_uri").GetString())).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(discovery.GetProperty("issuer").GetString(), Is.EqualTo(server.Issuer("demo")));
            Assert.That(discovery.GetProperty("response_types_supported").EnumerateArray().Select(value => value.GetString()), Is.EqualTo(new[] { "code" }));
            Assert.That(discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(value => value.GetString()), Is.EqualTo(new[] { "S256" }));
            Assert.That(discovery.GetProperty("acr_values_supported").EnumerateArray().Select(value => value.GetString()),
                Is.EqualTo(new[] { "http://schemas.openid.net/pape/policies/2007/06/multi-factor" }));
            Assert.That(keys.GetProperty("keys").GetArrayLength(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task HealthAndReady_Answer_AndAnUnknownTenantIsNotFound()
    {
        await using var server = await RulesMfaServer.StartAsync();
        using var http = new HttpClient();

        var health = await http.GetAsync($"{server.BaseUrl}/health");
        var ready = await http.GetAsync($"{server.BaseUrl}/ready");
        var unknown = await http.GetAsync($"{server.BaseUrl}/nobody/.well-known/openid-configuration");

        Assert.Multiple(() =>
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Discovery_WithPublicOrigin_IgnoresASpoofedHostHeader()
    {
        await using var server = await RulesMfaServer.StartAsync("--Server:PublicOrigin", "https://login.example.test");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{server.Issuer("demo")}/.well-known/openid-configuration");
        request.Headers.Host = "evil.example";

        var discovery = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(discovery.GetProperty("issuer").GetString(), Is.EqualTo("https://login.example.test/demo"));
            Assert.That(discovery.GetProperty("token_endpoint").GetString(), Is.EqualTo("https://login.example.test/demo/connect/token"));
        });
    }

    [Test]
    public async Task SigningKey_SurvivesARestart()
    {
        string firstKeys;
        var data = new Support.TempFolder();
        try
        {
            await using (var first = await RulesMfaServer.StartAsync("--Server:DataFolder", data.Path))
            {
                firstKeys = await new HttpClient().GetStringAsync($"{first.Issuer("demo")}/.well-known/jwks");
            }

            await using var second = await RulesMfaServer.StartAsync("--Server:DataFolder", data.Path);
            var secondKeys = await new HttpClient().GetStringAsync($"{second.Issuer("demo")}/.well-known/jwks");

            Assert.That(secondKeys, Is.EqualTo(firstKeys));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data.Dispose();
        }
    }
}
