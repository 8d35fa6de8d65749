namespace RulesMfa.Engine.Compilation;

/// <summary>A rule that cannot run: a syntax error (with a 1-based line and column) or a wrong shape.</summary>
public sealed class RuleCompilationException(string ruleId, string? filePath, int line, int column, string description)
    : Exception($"{filePath ?? ruleId}:{line}:{column}: {description}")
{
    /// <summary>The rule's id (its file name without <c>.js</c> for files).</summary>
    public string RuleId { get; } = ruleId;

    /// <summary>The rule's file, when it came from one.</summary>
    public string? FilePath { get; } = filePath;

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; } = line;

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; } = column;

    /// <summary>What is wrong, without the location.</summary>
    public string Description { get; } = description;
}
