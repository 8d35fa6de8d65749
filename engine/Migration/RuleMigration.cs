namespace RulesMfa.Engine.Migration;

/// <summary>
/// The Action a Rule became (<see cref="RuleMigrator"/>), and what could not be translated: each such place is
/// also marked in <see cref="Action"/> with a <c>rulesmfa migrate:</c> comment.
/// </summary>
public sealed record RuleMigration(string Action, IReadOnlyList<string> Untranslated)
{
    /// <summary>True when every part of the Rule was translated.</summary>
    public bool Complete => Untranslated.Count == 0;
}
