using System.Diagnostics;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary><c>test.sh</c> shows progress: its filter (<c>tests/progress.awk</c>) turns passed tests into a line every 25 and keeps failures whole.</summary>
public sealed class TestScriptTests
{
    [Test]
    public async Task Progress_SixtyTestsOneFailed_TwoProgressLinesAndTheFailureInFull()
    {
        var lines = new List<string> { "  Passed RulesMfa.Tests.A.First [1 ms]", "  Failed RulesMfa.Tests.B.Broken [3 ms]", "  Error Message:", "   expected 1 but was 2" };
        lines.AddRange(Enumerable.Range(1, 58).Select(index => $"  Passed RulesMfa.Tests.C.Test{index} [1 ms]"));
        lines.Add("Passed!  - Failed:     1, Passed:    59");

        var output = await FilterAsync(lines);

        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "  Failed RulesMfa.Tests.B.Broken [3 ms]", "  Error Message:", "   expected 1 but was 2",
            "test.sh: 25 tests run (1 failed, 0 skipped), now in RulesMfa.Tests.C",
            "test.sh: 50 tests run (1 failed, 0 skipped), now in RulesMfa.Tests.C",
            "Passed!  - Failed:     1, Passed:    59",
        }));
    }

    [Test]
    public void TestScript_RunsDotnetTestThroughTheProgressFilter()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "test.sh"));

        Assert.That(script, Does.Contain("""--logger "console;verbosity=normal" --results-directory "$results" | awk -f tests/progress.awk"""));
    }

    private static async Task<string> FilterAsync(IEnumerable<string> lines)
    {
        var start = new ProcessStartInfo("awk") { RedirectStandardInput = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "tests", "progress.awk"));
        using var awk = Process.Start(start)!;
        await awk.StandardInput.WriteAsync(string.Join('\n', lines) + "\n");
        awk.StandardInput.Close();
        var output = await awk.StandardOutput.ReadToEndAsync();
        await awk.WaitForExitAsync();
        return output;
    }
}
