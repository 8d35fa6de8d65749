using System.Globalization;

namespace RulesMfa.Load;

/// <summary>
/// How long the load tenant's rules ran at the servers, from each server's <c>/metrics</c> (<c>Metrics:Enabled</c>): the
/// sum and count of <c>rulesmfa_rule_evaluation_duration_seconds</c> for the tenant. Null when a server exports no metrics.
/// </summary>
internal sealed class ServerRuleTime(IReadOnlyList<LoadTarget> targets)
{
    private const string Histogram = "rulesmfa_rule_evaluation_duration_seconds";

    public async Task<RuleTime?> NowAsync(CancellationToken cancellationToken)
    {
        var total = new RuleTime(0, 0);
        foreach (var target in targets)
        {
            using var response = await target.Http.GetAsync(target.Server + "/metrics", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            total = new RuleTime(total.Seconds + Read(text, "_sum", target.Tenant), total.Runs + (long)Read(text, "_count", target.Tenant));
        }

        return total;
    }

    /// <summary>The value of the tenant's sample of <c>rulesmfa_rule_evaluation_duration_seconds{suffix}</c>, 0 before its first run.</summary>
    private static double Read(string exposition, string suffix, string tenant)
    {
        var name = Histogram + suffix + "{";
        var label = $"tenant=\"{tenant}\"";
        var line = exposition.Split('\n').FirstOrDefault(line => line.StartsWith(name, StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    internal readonly record struct RuleTime(double Seconds, long Runs)
    {
        public static RuleTime operator -(RuleTime after, RuleTime before) => new(after.Seconds - before.Seconds, after.Runs - before.Runs);
    }
}
