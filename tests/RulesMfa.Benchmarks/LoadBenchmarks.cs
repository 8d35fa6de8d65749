using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace RulesMfa.Benchmarks;

/// <summary>
/// Under load (issue 5): normal logins of three normal tenants run across all cores at once, with and
/// without a hostile tenant's logins among them. The workload is <see cref="LoadWorkload"/>.
/// </summary>
/// <remarks>
/// <para>Each invocation runs one fixed batch with <c>Parallel.For</c> (MaxDegreeOfParallelism =
/// <see cref="Environment.ProcessorCount"/>) and checks every decision; a single wrong decision (a normal
/// login not decided MFA with its own tenant's configuration and its own user, or a hostile login not
/// denied by a fault) throws, which fails the run. The check (a few lookups in each decision) is part of
/// every row's time.</para>
/// <para><c>OperationsPerInvoke</c> is the number of normal logins (400) in every row, so the per-operation
/// time is per normal login and Op/s is normal logins per second; <see cref="HostileLoginsAlone"/> is the
/// hostile part of the mixed batch alone, on the same scale: if hostile logins cost only their share,
/// the mixed row is about the sum of the other two.</para>
/// <para>The hostile tenant runs with smaller limits than the defaults (20 ms per rule, 100 ms per login,
/// 200,000 statements, 20 ms per regex; see <see cref="LoadWorkload.HostileLimits"/>) so that a hostile
/// login costs tens of milliseconds rather than 250 ms. GlobalCleanup prints the process's peak working
/// set (each benchmark runs in a process of its own); for the batches alone, the cores they used on average
/// (below 2 when something else shares the machine), GC pauses and collections; and the latency of normal logins.</para>
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[OperationsPerSecond]
public class LoadBenchmarks
{
    private LoadWorkload workload = null!;

    [GlobalSetup]
    public void Setup()
    {
        workload = new LoadWorkload();
        foreach (var ending in workload.VerifySequentially())
        {
            Console.WriteLine("// Load: hostile " + ending);
        }
    }

    /// <summary>400 normal logins over three normal tenants.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = LoadWorkload.NormalLogins)]
    public int NormalTenantsOnly() => workload.Run(workload.NormalOnlyBatch);

    /// <summary>The same 400 normal logins with 40 hostile logins interleaved (one after every tenth normal one).</summary>
    [Benchmark(OperationsPerInvoke = LoadWorkload.NormalLogins)]
    public int NormalTenantsBesideHostileTenant() => workload.Run(workload.MixedBatch);

    /// <summary>The 40 hostile logins of the mixed batch alone, per normal login of that batch (divided by 400).</summary>
    [Benchmark(OperationsPerInvoke = LoadWorkload.NormalLogins)]
    public int HostileLoginsAlone() => workload.Run(workload.HostileOnlyBatch);

    [GlobalCleanup]
    public void Cleanup()
    {
        using var process = Process.GetCurrentProcess();
        var (count, median, p99) = workload.NormalLatency();
        Console.WriteLine($"// Load: wrong decisions: {workload.Mismatches}");
        Console.WriteLine($"// Load: peak working set: {process.PeakWorkingSet64 / (1024.0 * 1024.0):F1} MiB");
        var (batches, time, cpu, gcPause, collections) = workload.BatchStats();
        Console.WriteLine($"// Load: {batches:N0} batches, {time.TotalMilliseconds / batches:F1} ms each, using {cpu / time:F2} cores on average; GC pauses inside them " +
                          $"{gcPause.TotalMilliseconds / batches:F1} ms per batch ({100 * gcPause / time:F0}% of the wall time), " +
                          $"gen0/gen1/gen2 collections per batch {(double)collections[0] / batches:F1}/{(double)collections[1] / batches:F1}/{(double)collections[2] / batches:F1}");
        if (count > 0)
        {
            Console.WriteLine($"// Load: normal login Evaluate over {count:N0} logins: median <= {median} µs, p99 <= {p99} µs");
        }
    }
}
