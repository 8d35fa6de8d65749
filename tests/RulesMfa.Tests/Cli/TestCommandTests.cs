using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

public sealed class TestCommandTests
{
    private TempFolder temp = null!;

    private string Folder => temp.Path;

    [SetUp]
    public void CreateFolder() => temp = new TempFolder();

    [TearDown]
    public void DeleteFolder() => temp.Dispose();

    [Test]
    public void Test_Samples_AllPassWithTheSummaryLast()
    {
        var run = CliRun.Of("test", RepositoryPaths.Samples);

        var summary = run.Output.TrimEnd().Split('\n').Last();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
            Assert.That(summary, Does.Match(@"^1[2-9] rules, \d+ cases, 0 failed$"));
        });
    }

    [Test]
    public void Test_FailingCase_PrintsTheDifferenceAndExitsOne()
    {
        File.WriteAllText(Path.Combine(Folder, "mfa.js"), "function (user, context, callback) { context.multifactor = true; callback(null, user, context); }");
        File.WriteAllText(Path.Combine(Folder, "mfa.test.json"), """
            {"cases": [
              {"name": "asks for mfa", "user": {}, "context": {}, "expect": {"outcome": "mfa", "multifactor": {"provider": "any"}}},
              {"name": "wrongly expects allow", "user": {}, "context": {}, "expect": {"outcome": "allow"}}
            ]}
            """);

        var run = CliRun.Of("test", Folder);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1));
            Assert.That(run.Output, Does.Contain("  pass  asks for mfa"));
            Assert.That(run.Output, Does.Contain("  FAIL  wrongly expects allow"));
            Assert.That(run.Output, Does.Contain("""outcome: expected "allow", got "mfa" """.TrimEnd()));
            Assert.That(run.Output.TrimEnd(), Does.EndWith("1 rules, 2 cases, 1 failed"));
        });
    }

    [Test]
    public void Test_RuleThatDoesNotCompile_ExitsTwo()
    {
        File.WriteAllText(Path.Combine(Folder, "bad.js"), "function (user, context) { }");
        File.WriteAllText(Path.Combine(Folder, "bad.test.json"), """{"cases": []}""");

        var run = CliRun.Of("test", Folder);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("bad.js:1:1: a rule function takes three parameters"));
        });
    }

    [Test]
    public void Test_FolderWithoutTestFiles_ExitsTwoSayingNothingWasTested()
    {
        File.WriteAllText(Path.Combine(Folder, "allow.js"), "function (user, context, callback) { callback(null, user, context); }");

        var run = CliRun.Of("test", Folder);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("nothing to test: no *.test.json file was found"));
            Assert.That(run.Output, Does.Not.Contain("0 failed"));
        });
    }

    [Test]
    public void Test_TestFilesWithoutCases_ExitsTwo()
    {
        File.WriteAllText(Path.Combine(Folder, "allow.js"), "function (user, context, callback) { callback(null, user, context); }");
        File.WriteAllText(Path.Combine(Folder, "allow.test.json"), """{"cases": []}""");

        var run = CliRun.Of("test", Folder);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Output.TrimEnd(), Does.EndWith("1 rules, 0 cases, 0 failed"));
            Assert.That(run.Error, Does.Contain("nothing was tested: the test files hold no case"));
        });
    }
}
