using System.Collections.Concurrent;

namespace RulesMfa.Engine.Evaluation;

/// <summary>
/// A backstop outside the interpreter: a rule that keeps breaking limits (time, statements, memory, ...) is
/// suspended for a while, so a hostile or broken rule cannot spend a core or a burst of memory on every login.
/// While suspended the rule is not run and the tenant's fail mode applies at once. Keyed by tenant and the
/// rule's version hash, so a fixed rule (a new version) runs again immediately. Thread-safe; one per host.
/// </summary>
public sealed class RuleCircuitBreaker(TimeProvider clock, int faultsToOpen = 3, TimeSpan? window = null, TimeSpan? openFor = null)
{
    private readonly TimeSpan window = window ?? TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<(string Tenant, string Version), Circuit> circuits = new();

    /// <summary>How long a suspended rule stays suspended. Default 10 minutes.</summary>
    public TimeSpan OpenFor { get; } = openFor ?? TimeSpan.FromMinutes(10);

    /// <summary>Whether the rule is suspended now.</summary>
    public bool IsOpen(string tenant, string versionHash) =>
        circuits.TryGetValue((tenant, versionHash), out var circuit) && circuit.IsOpen(clock.GetUtcNow());

    /// <summary>Records a limit fault; the <paramref name="faultsToOpen"/>-th within the window suspends the rule.</summary>
    public void RecordFault(string tenant, string versionHash) =>
        circuits.GetOrAdd((tenant, versionHash), _ => new Circuit()).RecordFault(clock.GetUtcNow(), faultsToOpen, window, OpenFor);

    private sealed class Circuit
    {
        private readonly Queue<DateTimeOffset> faults = new();
        private DateTimeOffset openUntil = DateTimeOffset.MinValue;

        public bool IsOpen(DateTimeOffset now)
        {
            lock (faults)
            {
                return now < openUntil;
            }
        }

        public void RecordFault(DateTimeOffset now, int faultsToOpen, TimeSpan window, TimeSpan openFor)
        {
            lock (faults)
            {
                faults.Enqueue(now);
                while (faults.Count > 0 && now - faults.Peek() > window)
                {
                    faults.Dequeue();
                }

                if (faults.Count >= faultsToOpen)
                {
                    openUntil = now + openFor;
                    faults.Clear();
                }
            }
        }
    }
}
