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
using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace RulesMfa.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        var projectDirectory = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "ProjectDirectory")?.Value;

        // One time unit for every row: the C# policy takes a fraction of a microsecond, the pipelines hundreds.
        var config = DefaultConfig.Instance.WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond));
        if (projectDirectory is not null && Directory.Exists(projectDirectory))
        {
            config = config.WithArtifactsPath(Path.Combine(projectDirectory, "BenchmarkDotNet.Artifacts"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
