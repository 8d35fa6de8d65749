using RulesMfa.Engine.Compilation;

namespace RulesMfa.Tests.Compilation;

public sealed class RuleFilesTests
{
    private string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("rulesmfa-files-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public void Load_Folder_TakesJsFilesInOrdinalNameOrder()
    {
        foreach (var name in new[] { "b.js", "B.js", "a10.js", "a2.js", "notes.txt" })
        {
            File.WriteAllText(Path.Combine(folder, name), "function (u, c, cb) { cb(null, u, c); }");
        }

        var ids = RuleFiles.Load([folder]).Select(rule => rule.Id);

        Assert.That(ids, Is.EqualTo(new[] { "B", "a10", "a2", "b" }));
    }

    [Test]
    public void Load_MissingPath_NamesIt()
    {
        var missing = Path.Combine(folder, "nope.js");

        var error = Assert.Throws<FileNotFoundException>(() => RuleFiles.Load([missing]));

        Assert.That(error!.Message, Does.Contain(missing));
    }

    [Test]
    public void Load_File_DetectsItsForm()
    {
        var action = Path.Combine(folder, "020-claims.js");
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
