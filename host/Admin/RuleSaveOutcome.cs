namespace RulesMfa.Host.Admin;

/// <summary>What became of a save: saved (with its tests' report), refused as invalid, or refused because its tests failed.</summary>
public abstract record RuleSaveOutcome
{
    public sealed record Saved(RuleDetail Rule, TestReport Tests, bool NewVersion) : RuleSaveOutcome;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : RuleSaveOutcome;

    public sealed record TestsFailed(TestReport Tests) : RuleSaveOutcome;

    public sealed record NotFound : RuleSaveOutcome;
}
