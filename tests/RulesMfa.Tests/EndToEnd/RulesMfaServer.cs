using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using RulesMfa.Host;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>The real RulesMfa server on a loopback port, on its own SQLite file (or PostgreSQL database), with helpers to add tenants, users, clients and rules.</summary>
internal sealed class RulesMfaServer : IAsyncDisposable
{
    public const string DemoPassword = "correct horse battery staple";
    public const string DemoSecret = "demo-client-secret";

    private readonly TempFolder data = new();
    private TestDatabase? ownDatabase;
    private WebApplication app = null!;
    private bool stopped;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The server's data folder, unless the test named another with <c>--Server:DataFolder</c>.</summary>
    public string DataFolder => data.Path;

    /// <summary>Runs code against the server's database, in a scope of its services.</summary>
    public async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public string Issuer(string tenant) => $"{BaseUrl}/{tenant}";

    /// <summary>The tenant's issuer as <c>http://localhost:port</c>: a browser accepts WebAuthn there (a secure context whose host is a domain).</summary>
    public string LocalhostIssuer(string tenant) => $"{BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)}/{tenant}";

    public static Task<RulesMfaServer> StartAsync(params string[] extraArgs) => StartAsync(clock: null, extraArgs);

    /// <summary>
    /// A server on <paramref name="provider"/>: on SQLite its own file, as <see cref="StartAsync(string[])"/>; on PostgreSQL a
    /// database of its own in the test run's cluster, dropped with the server. How an end-to-end fixture runs on both.
    /// </summary>
    public static Task<RulesMfaServer> StartOnAsync(StorageProvider provider, params string[] extraArgs) => StartOnAsync(provider, services: null, extraArgs);

    /// <inheritdoc cref="StartOnAsync(StorageProvider, string[])"/>
    public static async Task<RulesMfaServer> StartOnAsync(StorageProvider provider, Action<IServiceCollection>? services, params string[] extraArgs)
    {
        if (provider == StorageProvider.Sqlite)
        {
            return await StartAsync(clock: null, services, extraArgs);
        }

        var database = await TestDatabase.CreateAsync(provider, migrated: false);
        var server = await StartAsync(clock: null, services, [.. database.ServerArguments, .. extraArgs]);
        server.ownDatabase = database;
        return server;
    }

    /// <summary>A server whose clock (sessions, codes, tokens, OpenIddict's lifetimes) is <paramref name="clock"/>.</summary>
    public static Task<RulesMfaServer> StartAsync(TimeProvider? clock, params string[] extraArgs) => StartAsync(clock, services: null, extraArgs);

    /// <summary>
    /// A server whose services <paramref name="services"/> adds to, before the server registers its own (so a test changes
    /// the server's HTTP clients with <c>PostConfigure</c>): how a test points an outgoing client at a stand-in listener.
    /// </summary>
    public static async Task<RulesMfaServer> StartAsync(TimeProvider? clock, Action<IServiceCollection>? services, params string[] extraArgs)
    {
        var server = new RulesMfaServer();
        server.app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Server:DataFolder", server.data.Path,
            "--Demo:UserPassword", DemoPassword, "--Demo:ClientSecret", DemoSecret, .. extraArgs,
        ], builder =>
        {
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }

            services?.Invoke(builder.Services);
        });
        await ServerApp.InitializeAsync(server.app);
        await server.app.StartAsync();
        server.BaseUrl = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    public async Task AddTenantAsync(string tenant, TenantSettings? settings = null, string? displayName = null, string? logoUrl = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>();
        database.Tenants.Add(new TenantRecord
        {
            Id = tenant, DisplayName = displayName ?? tenant, LogoUrl = logoUrl, SettingsJson = (settings ?? new TenantSettings()).ToJson(), CreatedAt = DateTimeOffset.UtcNow,
        });
        await database.SaveChangesAsync();
    }

    /// <summary>Registers a confidential web client of the tenant; returns its secret.</summary>
    public async Task<string> AddClientAsync(string tenant, string clientId, string relyingPartyUrl)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(DemoTenantSeeder.WebClient(
            tenant, clientId, secret, new Uri($"{relyingPartyUrl}/signin-oidc"), new Uri($"{relyingPartyUrl}/signout-callback-oidc")));
        return secret;
    }

    public async Task AddUserAsync(string tenant, string email, string password, object? appMetadata = null, bool isAdmin = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>();
        var user = new UserRecord
        {
            Id = "rulesmfa|" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            TenantId = tenant, Email = email, EmailVerified = true, PasswordHash = "",
            AppMetadataJson = JsonSerializer.Serialize(appMetadata ?? new { }), CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            IsAdmin = isAdmin,
        };
        user.PasswordHash = new PasswordHasher<UserRecord>().HashPassword(user, password);
        database.Users.Add(user);
        await database.SaveChangesAsync();
    }

    public async Task<UserRecord> GetUserAsync(string tenant, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>().Users.AsNoTracking().SingleAsync(user => user.TenantId == tenant && user.Email == email);
    }

    /// <summary>Changes a user's record in the database, as an admin tool or another request would between two steps of a test.</summary>
    public async Task UpdateUserAsync(string tenant, string email, Action<UserRecord> change)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>();
        change(await database.Users.SingleAsync(user => user.TenantId == tenant && user.Email == email));
        await database.SaveChangesAsync();
    }

    /// <summary>Replaces the tenant's MFA settings.</summary>
    public async Task SetSettingsAsync(string tenant, TenantSettings settings)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>();
        (await database.Tenants.SingleAsync(record => record.Id == tenant)).SettingsJson = settings.ToJson();
        await database.SaveChangesAsync();
    }

    /// <summary>Replaces the tenant's rules with these, in order.</summary>
    public async Task SetRulesAsync(string tenant, params (string Id, string Source)[] rules)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<RulesMfaDbContext>();
        await database.Rules.Where(rule => rule.TenantId == tenant).ExecuteDeleteAsync();
        database.Rules.AddRange(rules.Select((rule, index) => new RuleRecord { TenantId = tenant, RuleId = rule.Id, Source = rule.Source, Order = index }));
        await database.SaveChangesAsync();
    }

    /// <summary>Stops the server and deletes its data folder; a second call does nothing (a test may stop it early to read its log).</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        ownDatabase?.Dispose();
        data.Dispose();
    }
}
