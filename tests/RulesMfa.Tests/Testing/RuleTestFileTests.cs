using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Testing;

using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Testing;

public sealed class RuleTestFileTests
{
    private TempFolder temp = null!;

    private string Folder => temp.Path;

    [SetUp]
    public void CreateFolder() => temp = new TempFolder();

    [TearDown]
    public void DeleteFolder() => temp.Dispose();

    private string Write(string name, string text) => temp.Write(name, text);

    [Test]
    public void Load_WithoutRules_TestsTheSiblingRule()
    {
        var path = Write("010-admins.test.json", """{"cases": []}""");

        var file = RuleTestFile.Load(path);

        Assert.That(file.RulePaths, Is.EqualTo(new[] { Path.Combine(Folder, "010-admins.js") }));
    }

    [Test]
    public void Load_WithRules_ResolvesThemRelativeToTheTestFile()
    {
        var path = Write("suite/all.test.json", """{"rules": ["../a.js", "b"], "cases": []}""");

        var file = RuleTestFile.Load(path);

        Assert.That(file.RulePaths, Is.EqualTo(new[] { Path.Combine(Folder, "suite", "../a.js"), Path.Combine(Folder, "suite", "b") }));
    }

    [TestCase("""{"cases": [{"name": "x", "user": {}, "context": {}}]}""", "cases[0].expect must be an object")]
    [TestCase("""{"cases": [{"user": {}, "expect": {}}]}""", "cases[0].name must be a string")]
    [TestCase("""{"configuration": {"A": 1}, "cases": []}""", "configuration.A must be a string")]
    [TestCase("""{"now": "yesterday", "cases": []}""", "now must be an ISO-8601 date")]
    [TestCase("""{"cases": [{"name": "x", "user": [], "expect": {}}]}""", "cases[0]: \"user\" must be a JSON object")]
    [TestCase("""{"cases": [} """, "not valid JSON at line 1")]
    public void Load_WrongShape_NamesTheFileAndTheField(string text, string expected)
    {
        var path = Write("bad.test.json", text);

        var error = Assert.Throws<RuleTestFormatException>(() => RuleTestFile.Load(path));

        Assert.That(error!.Message, Does.StartWith(path + ": ").And.Contain(expected));
    }

    [Test]
    public void Run_CaseNowOverridesFileNow()
    {
        Write("hours.js", "function (user, context, callback) { context.idToken['https://x/h'] = new Date().getUTCHours(); callback(null, user, context); }");
        var path = Write("hours.test.json", """
            {"now": "2026-11-25T08:00:00Z", "cases": [
              {"name": "file clock", "user": {}, "context": {}, "expect": {"idTokenClaims": {"https://x/h": 8}}},
              {"name": "case clock", "now": "2026-11-25T19:00:00Z", "user": {}, "context": {}, "expect": {"idTokenClaims": {"https://x/h": 19}}},
              {"name": "wrong", "user": {}, "context": {}, "expect": {"idTokenClaims": {"https://x/h": 9}}}
            ]}
            """);

        var result = new RuleTestRunner(new RuleCompiler()).Run(RuleTestFile.Load(path));

        Assert.Multiple(() =>
        {
            Assert.That(result.Cases.Select(testCase => testCase.Passed), Is.EqualTo(new[] { true, true, false }));
            Assert.That(result.Cases[2].Differences, Is.EqualTo(new[] { "idTokenClaims.https://x/h: expected 9, got 8" }));
        });
    }

    [Test]
    public void Find_Folder_FindsTestFilesRecursivelyInPathOrder()
    {
        Write("b.test.json", "{}");
        Write("a/z.test.json", "{}");
        Write("a/rule.js", "");

        var found = RuleTestFile.Find([Folder]).Select(path => Path.GetRelativePath(Folder, path));

        Assert.That(found, Is.EqualTo(new[] { Path.Combine("a", "z.test.json"), "b.test.json" }));
    }
}
