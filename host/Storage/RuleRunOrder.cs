namespace RulesMfa.Host.Storage;

/// <summary>
/// The order a tenant's rules run in, wherever they are listed: by <see cref="RuleRecord.Order"/>, then by id compared
/// ordinally. The tie-break is made here rather than in SQL so that it is the same on every provider: PostgreSQL compares
/// text by the database's collation (an English one sorts "a_b" before "a-b" and "ab" before "aB"; SQLite and ordinal
/// order put them the other way round).
/// </summary>
internal static class RuleRunOrder
{
    public static List<T> InRunOrder<T>(this IEnumerable<T> rules, Func<T, int> order, Func<T, string> ruleId) =>
        [.. rules.OrderBy(order).ThenBy(ruleId, StringComparer.Ordinal)];

    public static List<RuleRecord> InRunOrder(this IEnumerable<RuleRecord> rules) => rules.InRunOrder(rule => rule.Order, rule => rule.RuleId);
}
