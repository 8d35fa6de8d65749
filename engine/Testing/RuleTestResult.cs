using RulesMfa.Engine.Compilation;

namespace RulesMfa.Engine.Testing;

/// <summary>One case's result: passed when there is no difference.</summary>
public sealed record RuleTestResult(string File, string Case, IReadOnlyList<string> Differences)
{
    /// <summary>The decision met every expectation.</summary>
    public bool Passed => Differences.Count == 0;
}

/// <summary>A test file's rules and the result of each of its cases.</summary>
public sealed record RuleTestFileResult(IReadOnlyList<RuleSource> Rules, IReadOnlyList<RuleTestResult> Cases)
{
    /// <summary>Every case passed.</summary>
    public bool Passed => Cases.All(result => result.Passed);
}
