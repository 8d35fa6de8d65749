using RulesMfa.Host.Admin;

namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>
/// How a rule of the draft differs from the deployed one: <see cref="Changes"/> names what (<c>added</c>, <c>source</c>,
/// <c>tests</c>, <c>enabled</c>, <c>disabled</c>, <c>moved</c>, <c>deleted</c>), <see cref="Diff"/> is the source's unified diff,
/// <see cref="Tests"/> the draft's test cases run on the draft's source, <see cref="Errors"/> why it cannot be saved, and
/// <see cref="ChangedSince"/> says when someone deployed another version after the draft took this rule.
/// </summary>
public sealed record DraftChange(
    string Id, IReadOnlyList<string> Changes, string? Diff, TestReport? Tests, IReadOnlyList<FieldError> Errors, int? DeployedVersion, string? ChangedSince);

/// <summary>What deploying the draft would do: every change, how many rules stay as they are, and whether it can be deployed.</summary>
public sealed record DeployPreview(IReadOnlyList<DraftChange> Changes, int Unchanged)
{
    /// <summary>No rule is invalid (a syntax error, malformed tests).</summary>
    public bool Valid => Changes.All(change => change.Errors.Count == 0);

    /// <summary>Every test case of every changed rule passed (otherwise a deploy must be forced, and is audited).</summary>
    public bool TestsPass => Changes.All(change => change.Tests is null || change.Tests.Passed);
}
