using System.Text.RegularExpressions;

namespace RulesMfa.Engine.Compilation;

/// <summary>The text of one rule with its id; <see cref="Kind"/> is detected from the text when not given.</summary>
public sealed partial record RuleSource(string Id, string Text, RuleKind Kind, string? FilePath = null)
{
    /// <summary>A rule given inline; its form is detected from the text.</summary>
    public static RuleSource Inline(string id, string text) => new(id, text, DetectKind(text));

    /// <summary>A rule read from a <c>.js</c> file; its id is the file name without <c>.js</c>.</summary>
    public static RuleSource FromFile(string path)
    {
        var text = File.ReadAllText(path);
        return new RuleSource(Path.GetFileNameWithoutExtension(path), text, DetectKind(text), path);
    }

    /// <summary>
    /// An Action is a module: a statement that starts with <c>exports</c> or <c>module.exports</c>.
    /// Anything else is a Rule. Whether the module really exports <c>onExecutePostLogin</c> is checked when compiled.
    /// </summary>
    public static RuleKind DetectKind(string text) => ModuleExportStatement().IsMatch(text) ? RuleKind.Action : RuleKind.Rule;

    [GeneratedRegex(@"^\s*(?:module\s*\.\s*)?exports\s*[.=\[]", RegexOptions.Multiline)]
    private static partial Regex ModuleExportStatement();
}
