using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Identity;
using RulesMfa.Benchmarks.NodeVm;
using RulesMfa.Host.Storage;

namespace RulesMfa.Benchmarks.LoginCost;

/// <summary>
/// What MFA and the rules add to a login (issue 16's first target), side by side: one full login through the real pages
/// and the sample app, in-process, on the floor (no MFA, no rules), with TOTP, and with TOTP and the ten samples
/// (<c>rules-samples/010</c> to <c>100</c>). Each case has a fresh server (<see cref="LoginCase"/>) whose password hash
/// takes one iteration; <see cref="PasswordHash"/> is the real hash alone, the floor's main cost, added back when the
/// share is computed. A login's time here is the CPU of the server and of the client (the pages, the sample app) on one
/// thread at a time, so the differences between cases are an upper bound of the server's.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(Percentile95))]
[WarmupCount(5)]
[IterationCount(15)]
[InvocationCount(32)]
public class LoginCostBenchmarks
{
    // More users than a case's logins, warm-up included: a TOTP code is single use per 30 s step, so each user logs in
    // once and none waits for the next step. The floor has as many, so that no user there has more past logins.
    private const int Users = 2000;

    private const int WarmUpLogins = 1000;

    private readonly PasswordHasher<UserRecord> hasher = new();
    private readonly UserRecord hashed = new() { Id = "u", TenantId = "t", Email = "ada@example.com", PasswordHash = "" };
    private LoginCase? floor;
    private LoginCase? totp;
    private LoginCase? totpTenRules;

    [GlobalSetup(Target = nameof(Floor))]
    public void StartFloor() => floor = LoginCase.StartAsync(mfa: false, [], Users, WarmUpLogins).GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(Totp))]
    public void StartTotp() => totp = LoginCase.StartAsync(mfa: true, [], Users, WarmUpLogins).GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(TotpTenRules))]
    public void StartTotpTenRules() => totpTenRules = LoginCase.StartAsync(mfa: true, TenSampleRules(), Users, WarmUpLogins).GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(PasswordHash))]
    public void HashPassword() => hashed.PasswordHash = hasher.HashPassword(hashed, "load-demo-password");

    [GlobalCleanup]
    public void Stop()
    {
        foreach (var started in new[] { floor, totp, totpTenRules }.OfType<LoginCase>())
        {
            started.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Benchmark(Baseline = true)]
    public Task Floor() => floor!.LoginAsync();

    [Benchmark]
    public Task Totp() => totp!.LoginAsync();

    [Benchmark]
    public Task TotpTenRules() => totpTenRules!.LoginAsync();

    /// <summary>The password check with the server's real hasher and defaults, as a login pays it.</summary>
    [Benchmark]
    public PasswordVerificationResult PasswordHash() => hasher.VerifyHashedPassword(hashed, hashed.PasswordHash, "load-demo-password");

    /// <summary>The policy <c>run-setups.sh</c> loads: <c>rules-samples/010-*.js</c> to <c>100-*.js</c>.</summary>
    internal static string[] TenSampleRules() =>
        [.. Enumerable.Range(1, 10).Select(index => Directory.GetFiles(Path.Combine(NodeVmBenchmarks.RepositoryRoot(), "rules-samples"), $"{10 * index:D3}-*.js").Single())];

    private sealed class Percentile95 : ManualConfig
    {
        public Percentile95() => AddColumn(StatisticColumn.P95);
    }
}
