namespace RulesMfa.Engine.Compilation;

/// <summary>
/// Rule files named on a command line or in a test file: each path is a <c>.js</c> file or a folder whose
/// <c>*.js</c> files are taken in ordinal file-name order; paths in the order given.
/// </summary>
public static class RuleFiles
{
    /// <summary>Reads the rules; a path that does not exist throws <see cref="FileNotFoundException"/> naming it.</summary>
    public static IReadOnlyList<RuleSource> Load(IEnumerable<string> paths) =>
        paths.SelectMany(Expand).Select(RuleSource.FromFile).ToList();

    private static IEnumerable<string> Expand(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.GetFiles(path, "*.js").OrderBy(Path.GetFileName, StringComparer.Ordinal);
        }

        return File.Exists(path) ? [path] : throw new FileNotFoundException($"rules path '{path}' does not exist", path);
    }
}
