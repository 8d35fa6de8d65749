using System.Collections.Concurrent;
using System.Diagnostics;

namespace RulesMfa.Load;

/// <summary>Latencies and errors per step of the scenarios, with the progress line and the final table.</summary>
internal sealed class StepStats
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> errors = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> firstErrors = new();

    /// <summary>Times <paramref name="step"/>; a failure counts as an error of the step, and the first few are kept to show.</summary>
    public async Task<T> TimeAsync<T>(string step, Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await action();
            latencies.GetOrAdd(step, _ => new()).Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (Exception failure) when (failure is LoadException or HttpRequestException)
        {
            errors.AddOrUpdate(step, 1, (_, count) => count + 1);
            if (firstErrors.Count < 5)
            {
                firstErrors.Enqueue($"{step}: {failure.Message}");
            }

            throw;
        }
    }

    public int Count(string step) => latencies.TryGetValue(step, out var values) ? values.Count : 0;

    public string ProgressLine(TimeSpan elapsed, TimeSpan duration) =>
        $"[{elapsed.TotalSeconds,3:F0}/{duration.TotalSeconds:F0} s] " + string.Join("  ", latencies.Keys.Order(StringComparer.Ordinal)
            .Select(step => $"{step} {Count(step)} ({Count(step) / Math.Max(elapsed.TotalSeconds, 0.001):F1}/s)"))
        + (errors.IsEmpty ? "" : $"  errors {errors.Values.Sum()}");

    /// <summary>One row per step: count, throughput over <paramref name="elapsed"/>, p50/p95/p99 in ms, errors.</summary>
    public IEnumerable<string> Table(TimeSpan elapsed)
    {
        yield return "| step | count | per second | p50 ms | p95 ms | p99 ms | errors |";
        yield return "|---|---:|---:|---:|---:|---:|---:|";
        foreach (var step in latencies.Keys.Union(errors.Keys).Order(StringComparer.Ordinal))
        {
            var sorted = latencies.TryGetValue(step, out var values) ? values.Order().ToArray() : [];
            yield return $"| {step} | {sorted.Length} | {sorted.Length / elapsed.TotalSeconds:F1} | {Percentile(sorted, 50):F1} | {Percentile(sorted, 95):F1} | " +
                $"{Percentile(sorted, 99):F1} | {errors.GetValueOrDefault(step)} |";
        }
    }

    public IEnumerable<string> FirstErrors => firstErrors;

    /// <summary>The nearest-rank percentile (NaN without samples).</summary>
    private static double Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
