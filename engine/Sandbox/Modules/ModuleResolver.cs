using System.Text.Json.Nodes;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// Node's CommonJS file resolution, confined to the installed module folder: a relative request from inside a
/// package, or a package name looked up in the <c>node_modules</c> folders above the requiring file. Nothing
/// outside the folder is ever resolved.
/// </summary>
internal sealed class ModuleResolver(RuleModuleFolder folder)
{
    private static readonly string[] Extensions = ["", ".js", ".json"];

    /// <summary>The file a module inside the folder means by <paramref name="request"/>, or null.</summary>
    public string? ResolveFrom(string requiringFile, string request)
    {
        if (request.StartsWith("./", StringComparison.Ordinal) || request.StartsWith("../", StringComparison.Ordinal))
        {
            return Confined(ResolvePath(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(requiringFile)!, request))));
        }

        for (var directory = Path.GetDirectoryName(requiringFile); directory is not null && IsInside(directory); directory = Path.GetDirectoryName(directory))
        {
            if (Path.GetFileName(directory) == "node_modules")
            {
                continue;
            }

            if (Confined(ResolvePath(Path.Combine(directory, "node_modules", request))) is { } found)
            {
                return found;
            }
        }

        return Confined(ResolvePath(Path.Combine(folder.NodeModules, request)));
    }

    /// <summary>The file an allowed package (or a path inside it) means, or null.</summary>
    public string? ResolvePackage(ModuleSpecifier specifier) =>
        Confined(ResolvePath(Path.Combine(folder.NodeModules, specifier.Package, specifier.Subpath ?? "")));

    private static string? ResolvePath(string path)
    {
        foreach (var extension in Extensions)
        {
            if (File.Exists(path + extension))
            {
                return path + extension;
            }
        }

        if (!Directory.Exists(path))
        {
            return null;
        }

        var manifest = Path.Combine(path, "package.json");
        if (File.Exists(manifest) && JsonNode.Parse(File.ReadAllText(manifest))?["main"] is JsonValue main
            && main.TryGetValue<string>(out var entry) && ResolvePath(Path.GetFullPath(Path.Combine(path, entry))) is { } viaMain)
        {
            return viaMain;
        }

        var index = Path.Combine(path, "index.js");
        return File.Exists(index) ? index : null;
    }

    private string? Confined(string? path) => path is not null && IsInside(Path.GetFullPath(path)) ? Path.GetFullPath(path) : null;

    private bool IsInside(string path) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(folder.NodeModules) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
