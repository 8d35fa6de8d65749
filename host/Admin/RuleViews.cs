using System.Text.Json.Nodes;

namespace RulesMfa.Host.Admin;

/// <summary>A rule as the admin API lists it.</summary>
public sealed record RuleSummary(string Id, string Kind, int Order, bool Enabled, int Version, string VersionHash, DateTimeOffset UpdatedAt);

/// <summary>A rule with its source and stored test cases.</summary>
public sealed record RuleDetail(string Id, string Kind, int Order, bool Enabled, int Version, string VersionHash, DateTimeOffset UpdatedAt, string Source, JsonNode? Tests);

/// <summary>One saved version of a rule.</summary>
public sealed record RuleVersionSummary(int Version, string VersionHash, DateTimeOffset CreatedAt, string CreatedBy, bool Forced, string? Note);

/// <summary>One saved version with its text.</summary>
public sealed record RuleVersionDetail(int Version, string VersionHash, DateTimeOffset CreatedAt, string CreatedBy, bool Forced, string? Note, string Source, JsonNode? Tests);

/// <summary>What is wrong with a request, field by field; a rule's syntax error carries its 1-based line and column.</summary>
public sealed record FieldError(string Field, string Message, int? Line = null, int? Column = null);

/// <summary>One test case's outcome.</summary>
public sealed record TestCaseResult(string Name, bool Passed, IReadOnlyList<string> Differences);

/// <summary>A rule's test cases as run: all passed, or which failed and how.</summary>
public sealed record TestReport(int Cases, int Failed, IReadOnlyList<TestCaseResult> Results)
{
    public static TestReport None { get; } = new(0, 0, []);

    public bool Passed => Failed == 0;
}

/// <summary>A rule save or rollback request.</summary>
public sealed record RuleSave(string? Source, JsonNode? Tests, int? Order, bool? Enabled, bool Force);
