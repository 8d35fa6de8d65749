using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary>
/// A database verb run with no data folder option takes the server's default (<c>Server__DataFolder</c>, else
/// <c>./data</c>); where there is no database it says which folder it looked in and creates nothing.
/// </summary>
[NonParallelizable]
public sealed class DefaultDataFolderTests
{
    [TestCase("tenant", "create", "acme")]
    [TestCase("user", "forget-browsers", "--tenant", "acme", "--email", "someone@acme.example")]
    public async Task Verb_NoDataFolderAndNoDatabaseInDotData_NamesTheFolderAndCreatesNothing(params string[] verb)
    {
        using var workingFolder = new TempFolder();
        var expected = Path.Combine(workingFolder.Path, "data");

        var run = await CliProcess.RunInAsync(workingFolder.Path, new Dictionary<string, string>(), null, verb);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
            Assert.That(run.Error.TrimEnd(), Is.EqualTo($"rulesmfa: no RulesMfa database in {expected} (--data-folder, else Server__DataFolder, else ./data): " +
                "start the server once, or name its folder with --data-folder; nothing was created"));
            Assert.That(Directory.Exists(expected), Is.False, "no ./data was created");
            Assert.That(Directory.GetFileSystemEntries(workingFolder.Path), Is.Empty);
        });
    }
}
