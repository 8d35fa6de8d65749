using System.Text.RegularExpressions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary>The repository documents itself: README links only to files inside it, and docs/architecture.md names folders that exist.</summary>
public sealed partial class RepositoryDocsTests
{
    [Test]
    public void Readme_EveryRelativeLinkIsAFileOfTheRepository_AndNothingPointsOutside()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var links = MarkdownLink().Matches(readme).Select(match => match.Groups[1].Value).Where(link => !link.StartsWith("http", StringComparison.Ordinal)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(links, Does.Contain("docs/architecture.md"));
            foreach (var link in links)
            {
                Assert.That(File.Exists(Path.Combine(RepositoryPaths.Root, link.Split('#')[0])), Is.True, link);
            }

            Assert.That(readme, Does.Not.Contain("../"), "README names no file outside the repository");
        });
    }

    [Test]
    public void Architecture_EveryFolderItNamesExists()
    {
        var architecture = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "architecture.md"));
        var folders = FolderPath().Matches(architecture).Select(match => match.Value.TrimEnd('/')).Distinct().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(folders, Has.Count.GreaterThan(12), "it walks the login through the folders");
            foreach (var folder in folders)
            {
                Assert.That(Directory.Exists(Path.Combine(RepositoryPaths.Root, folder)), Is.True, folder);
            }
        });
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"\b(?:engine|host)/[A-Z][A-Za-z]+(?=[/`\s|,)])")]
    private static partial Regex FolderPath();
}
