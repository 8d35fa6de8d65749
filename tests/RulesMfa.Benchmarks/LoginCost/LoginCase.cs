using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host;
using RulesMfa.Load;

namespace RulesMfa.Benchmarks.LoginCost;

/// <summary>
/// One case of <see cref="LoginCostBenchmarks"/>: a fresh server in this process with one load tenant (the load
/// generator's set-up, sample app and pages), whose logins are run one at a time. The server's SQLite database is on
/// tmpfs, so a commit's fsync adds no wait that is not CPU. Its users' password hashes take one PBKDF2 iteration (the
/// server verifies with the same options): every case pays the same hash, so it is measured alone, not in each login.
/// </summary>
internal sealed class LoginCase : IAsyncDisposable
{
    public static readonly PasswordHasherOptions OneIterationHashing = new() { IterationCount = 1 };

    private readonly HttpClient http = new();
    private readonly StepStats stats = new();
    private DirectoryInfo? data;
    private WebApplication? server;
    private LoadTenant? tenant;
    private LoginDriver? driver;
    private Func<LoadUser, bool> canLogIn = null!;

    /// <summary>
    /// Starts the case and logs one user in, checking the login took the case's path (MFA or not); then logs in
    /// <paramref name="warmUpLogins"/> more, so that the JIT has compiled the case's own code (its pages, its rules)
    /// to its final tier before BenchmarkDotNet's warm-up: the cases share this process, and the first pays for it alone.
    /// </summary>
    /// <param name="configureServer">Further services of the server (<see cref="RequestCosts"/>' recorders); none by default.</param>
    public static async Task<LoginCase> StartAsync(
        bool mfa, IReadOnlyList<string> rules, int users, int warmUpLogins, Action<IServiceCollection>? configureServer = null)
    {
        var started = new LoginCase { canLogIn = mfa ? user => user.CanVerifyNow : _ => true };
        try
        {
            await started.StartServerAndTenantAsync(mfa, rules, users, configureServer);
            for (var login = 0; login < warmUpLogins; login++)
            {
                await started.LoginAsync();
            }

            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    private async Task StartServerAndTenantAsync(bool mfa, IReadOnlyList<string> rules, int users, Action<IServiceCollection>? configureServer)
    {
        data = OperatingSystem.IsLinux() && Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory($"/dev/shm/rulesmfa-login-cost-{Guid.NewGuid():N}", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)
            : Directory.CreateTempSubdirectory("rulesmfa-login-cost-");
        server = ServerApp.Build(["--urls", "http://127.0.0.1:0", "--Server:DataFolder", data.FullName],
            builder =>
            {
                builder.Services.Configure<PasswordHasherOptions>(options => options.IterationCount = OneIterationHashing.IterationCount);
                configureServer?.Invoke(builder.Services);
            });
        await ServerApp.InitializeAsync(server);
        await server.StartAsync();
        var url = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

        var options = new LoadOptions([url], data.FullName, TimeSpan.FromSeconds(1), Concurrency: 2, users, rules, [LoadRun.Logins], [],
            NoMfa: !mfa, PasswordHashing: OneIterationHashing);
        tenant = await LoadTenant.StartAsync(options, http, TextWriter.Null, Console.Out, CancellationToken.None);
        driver = new LoginDriver(tenant.Targets.Single(), stats);

        await LoginAsync();
        if (stats.Count(LoginDriver.MfaVerify) != (mfa ? 1 : 0))
        {
            throw new InvalidOperationException($"The first login {(mfa ? "passed no" : "passed an")} MFA challenge.");
        }
    }

    public async Task LoginAsync()
    {
        var user = tenant!.Pool.TryTake(canLogIn) ?? throw new InvalidOperationException("No user can pass TOTP now: the case needs more users.");
        try
        {
            await driver!.LoginAsync(user);
        }
        finally
        {
            tenant.Pool.Return(user);
        }
    }

    /// <summary>Stops what was started, also after a start that failed half-way.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (tenant is not null)
            {
                await tenant.DisposeAsync();
            }

            if (server is not null)
            {
                await server.StopAsync();
                await server.DisposeAsync();
            }
        }
        finally
        {
            http.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            data?.Delete(recursive: true);
        }
    }
}
