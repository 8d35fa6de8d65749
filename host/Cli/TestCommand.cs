using System.CommandLine;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Testing;

namespace RulesMfa.Host.Cli;

/// <summary><c>rulesmfa test PATH...</c>: runs every <c>*.test.json</c> found and prints each case as pass or fail.</summary>
internal static class TestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Test files or folders searched for *.test.json.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("test", "Run rule test files.") { paths };
        command.SetAction(parsed =>
        {
            try
            {
                return Run(RuleTestFile.Find(parsed.GetValue(paths)!), output);
            }
            catch (Exception exception) when (exception is RuleCompilationException or RuleTestFormatException or FileNotFoundException)
            {
                error.WriteLine(exception.Message);
                return CliExitCodes.UsageOrCompilation;
            }
        });
        return command;
    }

    private static int Run(IReadOnlyList<string> testFiles, TextWriter output)
    {
        var runner = new RuleTestRunner(RuleCompiler.Shared);
        var rules = new HashSet<string>(StringComparer.Ordinal);
        int cases = 0, failed = 0;
        foreach (var path in testFiles)
        {
            var file = RuleTestFile.Load(path);
            var results = runner.Run(file);
            rules.UnionWith(results.Rules.Select(rule => Path.GetFullPath(rule.FilePath!)));
            output.WriteLine(path);
            foreach (var result in results.Cases)
            {
                cases++;
                output.WriteLine($"  {(result.Passed ? "pass" : "FAIL")}  {result.Case}");
                if (!result.Passed)
                {
                    failed++;
                    foreach (var difference in result.Differences)
                    {
                        output.WriteLine($"        {difference}");
                    }
                }
            }
        }

        output.WriteLine($"{rules.Count} rules, {cases} cases, {failed} failed");
        return failed == 0 ? CliExitCodes.Success : CliExitCodes.TestsFailed;
    }
}
