using System.CommandLine;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Testing;

namespace RulesMfa.Host.Cli;

/// <summary>
/// <c>rulesmfa test PATH... [--server URL --tenant T]</c>: runs every <c>*.test.json</c> found and prints each case as
/// pass or fail. With <c>--server</c> the cases run against the tenant's deployed rules instead of local files.
/// </summary>
internal static class TestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Test files or folders searched for *.test.json.", Arity = ArgumentArity.OneOrMore };
        var server = new ServerOptions();
        var command = new Command("test", "Run rule test files. With --server and --tenant, X.test.json tests the tenant's deployed rule X " +
            "(a test file's \"rules\" name deployed rules by file name; a folder stands for every deployed rule), enabled ones only.")
        {
            paths,
        };
        foreach (var option in server.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            try
            {
                var testFiles = RuleTestFile.Find(parsed.GetValue(paths)!);
                var runner = new RuleTestRunner(RuleCompiler.Shared);
                if (!server.IsGiven(parsed))
                {
                    return Run(testFiles, file => runner.Run(file), output, error);
                }

                var target = server.Read(parsed);
                var deployed = await DeployedRules.FetchAsync(target, cancellationToken);
                return Run(testFiles, file => runner.Run(file, DeployedRulesOf(file, deployed, target), file.Configuration), output, error);
            }
            catch (Exception exception) when (exception is RuleCompilationException or RuleTestFormatException or FileNotFoundException
                                                  or CliInputException or CliServerException)
            {
                error.WriteLine(exception.Message);
                return CliExitCodes.UsageOrCompilation;
            }
        });
        return command;
    }

    /// <summary>Runs each test file with <paramref name="run"/> and prints every case, then <c>N rules, N cases, N failed</c>.</summary>
    /// <returns>
    /// <see cref="CliExitCodes.Success"/> when every case passed, <see cref="CliExitCodes.TestsFailed"/> when one failed, and
    /// <see cref="CliExitCodes.UsageOrCompilation"/> when nothing was tested (no test file, or no case in them): a run that
    /// proves nothing must not pass.
    /// </returns>
    public static int Run(IReadOnlyList<string> testFiles, Func<RuleTestFile, RuleTestFileResult> run, TextWriter output, TextWriter error)
    {
        if (testFiles.Count == 0)
        {
            error.WriteLine("rulesmfa: nothing to test: no *.test.json file was found (a rule X.js is tested by X.test.json beside it)");
            return CliExitCodes.UsageOrCompilation;
        }

        var rules = new HashSet<string>(StringComparer.Ordinal);
        int cases = 0, failed = 0;
        foreach (var path in testFiles)
        {
            var results = run(RuleTestFile.Load(path));
            rules.UnionWith(results.Rules.Select(rule => rule.FilePath is null ? "deployed:" + rule.Id : Path.GetFullPath(rule.FilePath)));
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
        if (cases == 0)
        {
            error.WriteLine($"rulesmfa: nothing was tested: the test files hold no case ({string.Join(", ", testFiles)})");
            return CliExitCodes.UsageOrCompilation;
        }

        return failed == 0 ? CliExitCodes.Success : CliExitCodes.TestsFailed;
    }

    /// <summary>The deployed rules a test file names: by file name without <c>.js</c>; a folder stands for all of them.</summary>
    private static IReadOnlyList<RuleSource> DeployedRulesOf(RuleTestFile file, IReadOnlyList<RuleSource> deployed, ServerTarget target) =>
        file.RulePaths.SelectMany(path => Directory.Exists(path)
            ? deployed
            : [deployed.FirstOrDefault(rule => rule.Id == Path.GetFileNameWithoutExtension(path))
                ?? throw new CliInputException($"{file.Path}: rule '{Path.GetFileNameWithoutExtension(path)}' is not deployed (or not enabled) on {target}")]).ToList();
}
