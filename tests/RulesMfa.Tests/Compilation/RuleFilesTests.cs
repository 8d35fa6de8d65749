using RulesMfa.Engine.Compilation;

using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Compilation;

public sealed class RuleFilesTests
{
    private TempFolder temp = null!;

    private string Folder => temp.Path;

    [SetUp]
    public void CreateFolder() => temp = new TempFolder();

    [TearDown]
    public void DeleteFolder() => temp.Dispose();

    [Test]
    public void Load_Folder_TakesJsFilesInOrdinalNameOrder()
    {
        foreach (var name in new[] { "b.js", "B.js", "a10.js", "a2.js", "notes.txt" })
        {
            File.WriteAllText(Path.Combine(Folder, name), "function (u, c, cb) { cb(null, u, c); }");
        }

        var ids = RuleFiles.Load([Folder]).Select(rule => rule.Id);

        Assert.That(ids, Is.EqualTo(new[] { "B", "a10", "a2", "b" }));
    }

    [Test]
    public void Load_MissingPath_NamesIt()
    {
        var missing = Path.Combine(Folder, "nope.js");

        var error = Assert.Throws<FileNotFoundException>(() => RuleFiles.Load([missing]));

        Assert.That(error!.Message, Does.Contain(missing));
    }

    [Test]
    public void Load_File_DetectsItsForm()
    {
        var action = Path.Combine(Folder, "020-claims.js");
        File.WriteAllText(action, "exports.onExecutePostLogin = async (event, api) => {};");

        var source = RuleFiles.Load([action]).Single();

        Assert.Multiple(() =>
        {
            Assert.That(source.Id, Is.EqualTo("020-claims"));
            Assert.That(source.Kind, Is.EqualTo(RuleKind.Action));
            Assert.That(source.FilePath, Is.EqualTo(action));
        });
    }
}
