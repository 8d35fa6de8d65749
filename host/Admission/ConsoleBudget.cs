using System.Collections.Concurrent;

namespace RulesMfa.Host.Admission;

/// <summary>
/// The evaluation time each tenant's console runs may use per minute. A run starts only while its tenant's minute has
/// time left, and is charged what it took when it ends, so one run can overshoot by at most its own time limit.
/// </summary>
internal sealed class ConsoleBudget(TimeSpan perMinute, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Spent> spentByTenant = new(StringComparer.Ordinal);

    public TimeSpan PerMinute => perMinute;

    /// <summary>How long until the tenant's budget has time again; null when it has some now.</summary>
    public TimeSpan? ExhaustedFor(string tenantId)
    {
        var now = clock.GetUtcNow();
        return spentByTenant.TryGetValue(tenantId, out var spent) && now < spent.WindowEnd && spent.Used >= perMinute
            ? spent.WindowEnd - now
            : null;
    }

    public void Charge(string tenantId, TimeSpan used)
    {
        var now = clock.GetUtcNow();
        spentByTenant.AddOrUpdate(tenantId, _ => new Spent(now + Window, used),
            (_, spent) => now >= spent.WindowEnd ? new Spent(now + Window, used) : spent with { Used = spent.Used + used });
    }

    private sealed record Spent(DateTimeOffset WindowEnd, TimeSpan Used);
}
