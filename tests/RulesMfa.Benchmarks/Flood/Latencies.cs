namespace RulesMfa.Benchmarks.Flood;

/// <summary>The durations of one kind of request in one phase, and how many failed.</summary>
internal sealed class Latencies(string name)
{
    private readonly List<TimeSpan> durations = [];

    public string Name => name;

    public int Failures { get; private set; }

    public void Add(TimeSpan duration, bool succeeded)
    {
        durations.Add(duration);
        Failures += succeeded ? 0 : 1;
    }

    /// <summary>One table row: count, failures, p50, p99 and max in milliseconds (nearest-rank percentiles).</summary>
    public string Row(string phase)
    {
        var sorted = durations.Order().ToList();
        string Milliseconds(double percentile) => sorted.Count == 0
            ? "-"
            : $"{sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Count) - 1, 0, sorted.Count - 1)].TotalMilliseconds:N0}";
        return $"| {phase} | {name} | {sorted.Count} | {Failures} | {Milliseconds(0.50)} | {Milliseconds(0.99)} | {Milliseconds(1.0)} |";
    }
}
