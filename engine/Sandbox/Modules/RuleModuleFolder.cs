using System.Text.Json.Nodes;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// The npm packages rules may <c>require</c>: those the engine's build installed from <c>engine/modules</c>
/// (<c>npm ci</c> with its lockfile) and copied to <c>rule-modules/</c> beside the assembly. The allow-list is
/// that package.json's dependencies: a package is allowed exactly when the build installed it.
/// </summary>
internal sealed class RuleModuleFolder
{
    private static readonly Lazy<RuleModuleFolder> Installed = new(() => Open(Path.Combine(AppContext.BaseDirectory, "rule-modules")));

    private RuleModuleFolder(string root, IReadOnlyDictionary<string, string> packages)
    {
        Root = root;
        Packages = packages;
    }

    /// <summary>The folder the build installed beside the engine.</summary>
    public static RuleModuleFolder Default => Installed.Value;

    /// <summary>The folder holding package.json and node_modules/.</summary>
    public string Root { get; }

    /// <summary>Allowed package names and the version installed.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; }

    public string NodeModules => Path.Combine(Root, "node_modules");

    public static RuleModuleFolder Open(string root)
    {
        var manifest = Path.Combine(root, "package.json");
        if (!File.Exists(manifest))
        {
            // No modules installed: every require is refused, which fails closed for rules that need one.
            return new RuleModuleFolder(root, new Dictionary<string, string>());
        }

        var packages = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonNode.Parse(File.ReadAllText(manifest))?["dependencies"] is JsonObject dependencies)
        {
            foreach (var (name, _) in dependencies)
            {
                packages[name] = InstalledVersion(root, name) ?? "";
            }
        }

        return new RuleModuleFolder(root, packages);
    }

    private static string? InstalledVersion(string root, string name)
    {
        var manifest = Path.Combine(root, "node_modules", name, "package.json");
        return File.Exists(manifest) ? JsonNode.Parse(File.ReadAllText(manifest))?["version"]?.GetValue<string>() : null;
    }
}
