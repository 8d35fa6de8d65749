using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Testing;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Testing;

/// <summary>Every case of every sample's test file, run as a test of its own.</summary>
public sealed class SampleRulesTests
{
    private static readonly RuleTestRunner Runner = new(new RuleCompiler());

    public static IEnumerable<TestCaseData> SampleCases() =>
        RuleTestFile.Find([RepositoryPaths.Samples]).SelectMany(path => RuleTestFile.Load(path).Cases.Select((testCase, index) =>
            new TestCaseData(path, index).SetName($"Sample({Path.GetFileName(path)}: {testCase.Name})")));

    [TestCaseSource(nameof(SampleCases))]
    public void Sample_Case_MeetsItsExpectation(string path, int index)
    {
        var file = RuleTestFile.Load(path);
        var single = file with { Cases = [file.Cases[index]] };

        var result = Runner.Run(single).Cases.Single();

        Assert.That(result.Differences, Is.Empty, string.Join(Environment.NewLine, result.Differences));
    }

    [Test]
    public void Samples_HaveAtLeastTwelveRulesAndTwoActions()
    {
        var rules = RuleFiles.Load([RepositoryPaths.Samples]);

        Assert.Multiple(() =>
        {
            Assert.That(rules, Has.Count.GreaterThanOrEqualTo(12));
            Assert.That(rules.Count(rule => rule.Kind == RuleKind.Action), Is.GreaterThanOrEqualTo(2));
            Assert.That(rules.Select(rule => Path.ChangeExtension(rule.FilePath!, ".test.json")), Has.All.Matches<string>(File.Exists),
                "every sample has its test file");
        });
    }
}
