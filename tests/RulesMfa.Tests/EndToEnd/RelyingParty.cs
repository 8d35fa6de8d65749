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

    /// <param name="authority">The issuer the app uses; default the server's own (<c>127.0.0.1</c>). WebAuthn needs a domain: <see cref="RulesMfaServer.LocalhostIssuer"/>.</param>
    public static async Task<RelyingParty> StartAsync(RulesMfaServer server, string tenant, string clientId, string? authority = null)
    {
        var relyingParty = new RelyingParty();
        var port = FreePort();
        relyingParty.BaseUrl = $"http://127.0.0.1:{port}";
        var secret = await server.AddClientAsync(tenant, clientId, relyingParty.BaseUrl);
        (relyingParty.ClientId, relyingParty.ClientSecret) = (clientId, secret);
        relyingParty.app = SampleApp.SampleApp.Build(
            ["--urls", relyingParty.BaseUrl, "--Oidc:Authority", authority ?? server.Issuer(tenant), "--Oidc:ClientId", clientId, "--Oidc:ClientSecret", secret]);
        await relyingParty.app.StartAsync();
        return relyingParty;
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
