// RulesMfa.Benchmarks: what the rules engine costs per login.
//
// Run from the repository root (always in Release; BenchmarkDotNet refuses Debug builds):
//
//   dotnet run -c Release --project tests/RulesMfa.Benchmarks -- --filter '*'
//
// For a quick, noisier check use the short job:
//
//   dotnet run -c Release --project tests/RulesMfa.Benchmarks -- --filter '*' --job short
//
// Benchmarks (PipelineBenchmarks): the same ten-rule MFA policy (TenRulePolicy.cs: 8 Rules, 2 Actions)
// evaluated by the engine with a fresh sandbox per login (TenRulePipeline), the admin rule alone
// (OneRulePipeline), and the policy written by hand in C# (PlainCSharp, the baseline). Setup throws
// unless the pipeline and the C# policy decide alike. Reports land in tests/RulesMfa.Benchmarks/BenchmarkDotNet.Artifacts/
// (git-ignored); pass --artifacts <folder> to put them elsewhere.
//
// NodeVmBenchmarks (NodeVm/): the ten Rules of rules-samples pooled, fresh and on Node.js vm (fresh and reused context,
// vm-bench.js started by setup; Node.js must be on the PATH), beside the ten-rule policy pooled, fresh and in C#.
// ColdCacheBenchmarks (NodeVm/): the pooled samples login with the CPU caches evicted first, as a server's other work
// leaves them (subtract EvictCaches).
//
// LoginCostBenchmarks (LoginCost/): a full login through the pages and the sample app, in-process, on the floor (no MFA,
// no rules), with TOTP, and with TOTP and the ten samples, each on a fresh server whose password hash takes one
// iteration, beside the real hash alone: what MFA and the rules add to a login (BENCHMARKS.md, issue 16).
//
// The request costs (LoginCost/RequestCosts.cs) are a plain program too: one LoginCostBenchmarks case's logins, and what
// each request of them costs the server (time, allocation, SQL statements), to see where MFA's share goes:
//
//   dotnet run -c Release --project tests/RulesMfa.Benchmarks -- requests [--no-mfa] [--ten-rules] [--logins N]
//
// The flood check (Flood/FloodCheck.cs) is a plain program, not a benchmark: the real server with two tenants, one of
// them flooding the console, and the other's discovery and password logins measured (BENCHMARKS.md). Any further
// arguments configure the server, e.g. --Sandbox:MaxConcurrentEvaluationsPerTenant 64:
//
//   dotnet run -c Release --project tests/RulesMfa.Benchmarks -- flood [--attack spin|big-alternation] [--in-flight N]
using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace RulesMfa.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["requests", .. var caseArgs])
        {
            return LoginCost.RequestCosts.RunAsync(caseArgs).GetAwaiter().GetResult();
        }

        if (args is ["flood", .. var serverArgs])
        {
            return Flood.FloodCheck.RunAsync(serverArgs).GetAwaiter().GetResult();
        }

        var projectDirectory = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "ProjectDirectory")?.Value;

        // One time unit for every row: the C# policy takes a fraction of a microsecond, the pipelines hundreds.
        var config = DefaultConfig.Instance.WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond));
        if (projectDirectory is not null && Directory.Exists(projectDirectory))
        {
            config = config.WithArtifactsPath(Path.Combine(projectDirectory, "BenchmarkDotNet.Artifacts"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
