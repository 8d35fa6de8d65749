namespace RulesMfa.Engine.Compilation;

/// <summary>
/// How a rule's text is wrapped so that evaluating it yields a function. The prefix stays on the first
/// line, so only first-line columns move, by the prefix's length.
/// </summary>
internal sealed record RuleWrapper(string Prefix, string Suffix)
{
    /// <summary>A Rule is a function expression: <c>0,</c> makes it one, and tolerates a trailing <c>;</c>.</summary>
    public static readonly RuleWrapper Rule = new("0,", "\n");

    /// <summary>An Action is a CommonJS module: its body runs inside a function given <c>exports</c> and <c>module</c>.</summary>
    public static readonly RuleWrapper Action = new("(function (exports, module) {", "\n})");

    public static RuleWrapper For(RuleKind kind) => kind == RuleKind.Rule ? Rule : Action;

    public string Wrap(string text) => Prefix + text + Suffix;

    /// <summary>Maps a 1-based position in the wrapped text back to the rule's own text.</summary>
    public (int Line, int Column) Unwrap(int line, int column) =>
        line == 1 ? (line, Math.Max(1, column - Prefix.Length)) : (line, column);
}
