using System.Threading.RateLimiting;

namespace RulesMfa.Host.Admission;

/// <summary>Whether a rule evaluation may run now: a place to hold while it runs (dispose it after), or why not.</summary>
public abstract class AdmissionResult : IDisposable
{
    private AdmissionResult()
    {
    }

    public abstract void Dispose();

    /// <summary>The evaluation may run; disposing gives its place back and reports how long it was held.</summary>
    public sealed class Granted(RateLimitLease lease, TimeProvider clock, Action<TimeSpan>? released = null) : AdmissionResult
    {
        private readonly long startedAt = clock.GetTimestamp();
        private int disposed;

        public override void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                lease.Dispose();
                released?.Invoke(clock.GetElapsedTime(startedAt));
            }
        }
    }

    /// <summary>The evaluation may not run now: why (for the caller to show), and when trying again makes sense.</summary>
    public sealed class Refused(string problem, TimeSpan retryAfter) : AdmissionResult
    {
        public string Problem { get; } = problem;

        public TimeSpan RetryAfter { get; } = retryAfter;

        public override void Dispose()
        {
        }
    }
}
