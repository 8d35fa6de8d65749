using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using RulesMfa.Host;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Benchmarks.Flood;

/// <summary>
/// The real server on a loopback port with two tenants beside the demo one: <c>flood</c>, whose machine client attacks,
/// with every sandbox limit at the server's maximum; and <c>quiet</c>, with a user, one rule, and the sample app (the stock
/// OpenIdConnect handler) as its client.
/// </summary>
internal sealed class FloodServer : IAsyncDisposable
{
    public const string QuietTenant = "quiet";
    public const string FloodTenant = "flood";
    public const string QuietEmail = "ada@quiet.example";
    public const string Password = "a long enough password";

    private const string QuietRule =
        "function (user, context, callback) { if (!user.email_verified) { return callback(new UnauthorizedError('Verify your email first.')); } " +
        "context.idToken['https://quiet.example/tenant'] = 'quiet'; callback(null, user, context); }";

    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("rulesmfa-flood-");
    private WebApplication server = null!;
    private WebApplication app = null!;

    public string BaseUrl { get; private set; } = "";

    public string AppUrl { get; private set; } = "";

    public string FloodApi => $"{BaseUrl}/{FloodTenant}/api/v1";

    public string FloodToken { get; private set; } = "";

    public string Issuer(string tenant) => $"{BaseUrl}/{tenant}";

    public static async Task<FloodServer> StartAsync(string[] serverArgs)
    {
        var flood = new FloodServer();
        flood.server = ServerApp.Build(["--urls", "http://127.0.0.1:0", "--Server:DataFolder", flood.data.FullName, .. serverArgs]);
        await ServerApp.InitializeAsync(flood.server);
        await flood.server.StartAsync();
        flood.BaseUrl = flood.server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        flood.AppUrl = $"http://127.0.0.1:{FreePort()}";

        var (appSecret, floodSecret) = await flood.AddTenantsAsync();
        flood.app = RulesMfa.SampleApp.SampleApp.Build(
            ["--urls", flood.AppUrl, "--Oidc:Authority", flood.Issuer(QuietTenant), "--Oidc:ClientId", "quiet-web", "--Oidc:ClientSecret", appSecret]);
        await flood.app.StartAsync();
        flood.FloodToken = await flood.MachineTokenAsync(floodSecret);
        return flood;
    }

    /// <summary>The sandbox limits the flooding tenant runs with: the server's maximums.</summary>
    public Engine.Sandbox.SandboxLimits FloodLimits => server.Services.GetRequiredService<IOptions<SandboxServerOptions>>().Value.Maximums;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await server.StopAsync();
        await server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Delete(recursive: true);
    }

    private async Task<(string AppSecret, string FloodSecret)> AddTenantsAsync()
    {
        await using var scope = server.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>();
        var now = DateTimeOffset.UtcNow;
        database.Tenants.Add(new TenantRecord { Id = QuietTenant, DisplayName = QuietTenant, SettingsJson = new TenantSettings().ToJson(), CreatedAt = now });
        database.Tenants.Add(new TenantRecord { Id = FloodTenant, DisplayName = FloodTenant, SettingsJson = new TenantSettings { Limits = FloodLimits }.ToJson(), CreatedAt = now });
        var user = new UserRecord
        {
            Id = "rulesmfa|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), TenantId = QuietTenant, Email = QuietEmail, EmailVerified = true,
            PasswordHash = "", AppMetadataJson = "{}", CreatedAt = now, UpdatedAt = now,
        };
        user.PasswordHash = new PasswordHasher<UserRecord>().HashPassword(user, Password);
        database.Users.Add(user);
        database.Rules.Add(new RuleRecord { TenantId = QuietTenant, RuleId = "010-verified-email", Source = QuietRule, Order = 10 });
        await database.SaveChangesAsync();

        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var (appSecret, floodSecret) = (Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        await applications.CreateAsync(DemoTenantSeeder.WebClient(QuietTenant, "quiet-web", appSecret, new Uri($"{AppUrl}/signin-oidc"), new Uri($"{AppUrl}/signout-callback-oidc")));
        await applications.CreateAsync(MachineClients.Descriptor(FloodTenant, "flood-ci", floodSecret));
        return (appSecret, floodSecret);
    }

    private async Task<string> MachineTokenAsync(string secret)
    {
        using var http = new HttpClient();
        var response = await http.PostAsync($"{Issuer(FloodTenant)}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "flood-ci", ["client_secret"] = secret, ["scope"] = AdminAccess.Scope,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
