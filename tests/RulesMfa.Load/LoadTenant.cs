using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;

namespace RulesMfa.Load;

/// <summary>
/// A load tenant ready to run: set up on the servers (<see cref="LoadSetup"/>), a sample app per host as that host's web
/// client, and every user enrolled in TOTP through the pages (with <c>--no-mfa</c>, signed in once with the password).
/// Disposing it stops the sample apps.
/// </summary>
internal sealed class LoadTenant : IAsyncDisposable
{
    private readonly List<WebApplication> apps = [];

    private LoadTenant(UserPool pool) => Pool = pool;

    public IReadOnlyList<LoadTarget> Targets { get; private set; } = [];

    public UserPool Pool { get; }

    public static async Task<LoadTenant> StartAsync(LoadOptions options, HttpClient http, TextWriter output, TextWriter progress, CancellationToken cancellationToken)
    {
        var tenant = "load-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var started = new LoadTenant(new UserPool(Enumerable.Range(0, options.Users).Select(index => new LoadUser(LoadSetup.UserEmail(tenant, index)))));
        try
        {
            // One sample app per host, each that host's web client.
            var targets = options.Servers.Select(server => new LoadTarget(server, tenant, $"http://127.0.0.1:{FreePort()}", "",
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), password, http)).ToList();
            started.Targets = await LoadSetup.CreateTenantAsync(options, targets, output, cancellationToken);
            foreach (var target in started.Targets)
            {
                var app = RulesMfa.SampleApp.SampleApp.Build(
                    ["--urls", target.AppUrl, "--Oidc:Authority", $"{target.Server}/{tenant}", "--Oidc:ClientId", target.ClientId,
                     "--Oidc:ClientSecret", target.ClientSecret, "--Logging:LogLevel:Default", "Warning"]);
                started.apps.Add(app);
                await app.StartAsync(cancellationToken);
            }

            await started.EnrollAsync(options, progress);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// The users' first logins, <see cref="LoadOptions.Concurrency"/> at a time: each enrolls TOTP through the pages
    /// (with <c>--no-mfa</c> each signs in with the password alone).
    /// </summary>
    private async Task EnrollAsync(LoadOptions options, TextWriter progress)
    {
        var users = new List<LoadUser>();
        for (var index = 0; index < options.Users; index++)
        {
            users.Add(await Pool.TakeAsync(_ => true, CancellationToken.None));
        }

        List<LoginDriver> drivers = [.. Targets.Select(target => new LoginDriver(target, new StepStats()))];
        var enrolled = 0;
        await Parallel.ForEachAsync(users.Select((user, index) => (user, index)), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (next, _) =>
        {
            var driver = drivers[next.index % drivers.Count];
            await (options.NoMfa ? driver.SignInAsync(next.user) : driver.EnrollAsync(next.user));
            if (Interlocked.Increment(ref enrolled) % 50 == 0)
            {
                await progress.WriteLineAsync($"{(options.NoMfa ? "signed in" : "enrolled")} {enrolled} of {users.Count} users");
            }
        });
        users.ForEach(Pool.Return);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
