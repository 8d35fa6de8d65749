using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.SampleApp;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>The sample app (the stock Microsoft OpenIdConnect handler) on a loopback port, as a client of one tenant.</summary>
internal sealed class RelyingParty : IAsyncDisposable
{
    private WebApplication app = null!;

    public string BaseUrl { get; private set; } = "";

    public string ClientId { get; private set; } = "";

    public string ClientSecret { get; private set; } = "";

    /// <summary>The issuer the app signs in with.</summary>
    public string Authority { get; private set; } = "";

    /// <param name="authority">The issuer the app uses; default the server's own (<c>127.0.0.1</c>). WebAuthn needs a domain: <see cref="RulesMfaServer.LocalhostIssuer"/>.</param>
    public static async Task<RelyingParty> StartAsync(RulesMfaServer server, string tenant, string clientId, string? authority = null)
    {
        var relyingParty = new RelyingParty();
        var port = FreePort();
        relyingParty.BaseUrl = $"http://127.0.0.1:{port}";
        var secret = await server.AddClientAsync(tenant, clientId, relyingParty.BaseUrl);
        (relyingParty.ClientId, relyingParty.ClientSecret, relyingParty.Authority) = (clientId, secret, authority ?? server.Issuer(tenant));
        relyingParty.app = SampleApp.SampleApp.Build(
            ["--urls", relyingParty.BaseUrl, "--Oidc:Authority", relyingParty.Authority, "--Oidc:ClientId", clientId, "--Oidc:ClientSecret", secret]);
        await relyingParty.app.StartAsync();
        return relyingParty;
    }

    /// <summary>A refresh-token grant as this app (its id and secret) at the provider's token endpoint; the provider's JSON answer.</summary>
    public async Task<JsonElement> RefreshAsync(string refreshToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{Authority}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
        }));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
