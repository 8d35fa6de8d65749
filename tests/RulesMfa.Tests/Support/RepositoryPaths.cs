namespace RulesMfa.Tests.Support;

/// <summary>Finds folders of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "rules-samples");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RulesMfa.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("RulesMfa.sln not found above the test folder.");
    }
}
