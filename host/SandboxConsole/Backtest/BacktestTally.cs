namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>Adds up a backtest's comparisons into a <see cref="BacktestResult"/>.</summary>
public sealed class BacktestTally
{
    /// <summary>How many changed logins the result lists one by one (all are counted).</summary>
    public const int MaxListed = 1_000;

    /// <summary>The client of a login that had none (the console's own sign-in has one; a login written by hand may not).</summary>
    public const string NoClient = "(no client)";

    /// <summary>The rule a change is counted under when no rule of the draft differs from the ones the login ran.</summary>
    public const string NoRuleChanged = "(no rule changed)";

    private readonly Dictionary<string, int> byKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> byClient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> byRule = new(StringComparer.Ordinal);
    private readonly List<BacktestChange> changes = [];
    private int compared;
    private int changed;
    private int skipped;

    public void Add(BacktestComparison comparison)
    {
        if (comparison.Skipped)
        {
            skipped++;
            return;
        }

        compared++;
        if (comparison.Change is not { } change)
        {
            return;
        }

        changed++;
        change.Kinds.ToList().ForEach(kind => Count(byKind, kind));
        Count(byClient, change.ClientId ?? NoClient);
        (change.Rules.Count == 0 ? [NoRuleChanged] : change.Rules).ToList().ForEach(rule => Count(byRule, rule));
        if (changes.Count < MaxListed)
        {
            changes.Add(change);
        }
    }

    public BacktestResult Result() => new(compared, changed, skipped, Sorted(byKind), Sorted(byClient), Sorted(byRule), changes);

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    // Most first; insertion order of a Dictionary is what JSON shows.
    private static Dictionary<string, int> Sorted(Dictionary<string, int> counts) =>
        counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
}
