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
    private DirectoryInfo data = null!;
    private WebApplication server = null!;
    private LoadTenant tenant = null!;
    private LoginDriver driver = null!;
    private Func<LoadUser, bool> canLogIn = null!;

    /// <summary>
    /// Starts the case and logs one user in, checking the login took the case's path (MFA or not); then logs in
    /// <paramref name="warmUpLogins"/> more, so that the JIT has compiled the case's own code (its pages, its rules)
    /// to its final tier before BenchmarkDotNet's warm-up: the cases share this process, and the first pays for it alone.
    /// </summary>
    public static async Task<LoginCase> StartAsync(bool mfa, IReadOnlyList<string> rules, int users, int warmUpLogins)
    {
        var started = new LoginCase { canLogIn = mfa ? user => user.CanVerifyNow : _ => true };
        started.data = OperatingSystem.IsLinux() && Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory($"/dev/shm/rulesmfa-login-cost-{Guid.NewGuid():N}", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)
            : Directory.CreateTempSubdirectory("rulesmfa-login-cost-");
        started.server = ServerApp.Build(["--urls", "http://127.0.0.1:0", "--Server:DataFolder", started.data.FullName],
            builder => builder.Services.Configure<PasswordHasherOptions>(options => options.IterationCount = OneIterationHashing.IterationCount));
        await ServerApp.InitializeAsync(started.server);
        await started.server.StartAsync();
        var url = started.server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

        var options = new LoadOptions([url], started.data.FullName, TimeSpan.FromSeconds(1), Concurrency: 2, users, rules, [LoadRun.Logins], [],
            NoMfa: !mfa, PasswordHashing: OneIterationHashing);
        started.tenant = await LoadTenant.StartAsync(options, started.http, TextWriter.Null, Console.Out, CancellationToken.None);
        started.driver = new LoginDriver(started.tenant.Targets.Single(), started.stats);

        await started.LoginAsync();
        if (started.stats.Count(LoginDriver.MfaVerify) != (mfa ? 1 : 0))
        {
            throw new InvalidOperationException($"The first login {(mfa ? "passed no" : "passed an")} MFA challenge.");
        }

        for (var login = 0; login < warmUpLogins; login++)
        {
            await started.LoginAsync();
        }

        return started;
    }

    public async Task LoginAsync()
    {
        var user = tenant.Pool.TryTake(canLogIn) ?? throw new InvalidOperationException("No user can pass TOTP now: the case needs more users.");
        try
        {
            await driver.LoginAsync(user);
        }
        finally
        {
            tenant.Pool.Return(user);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await tenant.DisposeAsync();
        await server.StopAsync();
        await server.DisposeAsync();
        http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Delete(recursive: true);
    }
}
