using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admission;

/// <summary>
/// Admits rule evaluations per tenant, so that one tenant's flood of long evaluations waits in that tenant's own queue
/// instead of taking the server's threads. Jint runs synchronously: a running evaluation holds a thread-pool thread
/// (which Kestrel and every tenant share) for up to its time limit, while a waiting one holds none. So at most
/// <see cref="SandboxServerOptions.MaxConcurrentEvaluationsPerTenant"/> evaluations of a tenant run at once (logins and
/// console runs together); the others wait in a bounded queue for a bounded time and are then refused, which fails
/// closed. Console runs (and rule test runs) pass a gate of their own first (fewer at once, a short queue, and an
/// evaluation-time budget per minute), so that a console flood keeps most of the tenant's places free for its logins.
/// Backtests never wait among logins: a slice of a backtest takes one of the tenant's places only when one is free and no
/// login waits, within a time budget of its own per minute, and otherwise tries again later.
/// </summary>
public sealed class EvaluationAdmission : IDisposable
{
    private static readonly TimeSpan RetryWhenBusy = TimeSpan.FromSeconds(1);

    private readonly PartitionedRateLimiter<string> evaluations;
    private readonly PartitionedRateLimiter<string> consoleGate;
    private readonly PartitionedRateLimiter<string> consoleRuns;
    private readonly ConsoleBudget budget;
    private readonly ConsoleBudget backtestBudget;
    private readonly TimeSpan queueTimeout;
    private readonly TimeProvider clock;
    private readonly ILogger<EvaluationAdmission> logger;

    public EvaluationAdmission(IOptions<SandboxServerOptions> options, TimeProvider clock, ILogger<EvaluationAdmission> logger)
    {
        var settings = options.Value;
        evaluations = PerTenant(settings.MaxConcurrentEvaluationsPerTenant, settings.EvaluationQueueLength);
        consoleGate = PerTenant(settings.MaxConcurrentConsoleRunsPerTenant, settings.ConsoleQueueLength);
        consoleRuns = PartitionedRateLimiter.CreateChained(consoleGate, evaluations);
        budget = new ConsoleBudget(settings.ConsoleTimePerMinute, clock);
        backtestBudget = new ConsoleBudget(settings.BacktestTimePerMinute, clock);
        queueTimeout = settings.EvaluationQueueTimeout;
        this.clock = clock;
        this.logger = logger;
    }

    /// <summary>Waits for a place to run a login's rules.</summary>
    public Task<AdmissionResult> AdmitLoginAsync(string tenantId, CancellationToken cancellationToken) =>
        AdmitAsync(evaluations, tenantId, "login", released: null, cancellationToken);

    /// <summary>Waits for a place to run a console run or a rule's test cases, within the tenant's console budget.</summary>
    public async Task<AdmissionResult> AdmitConsoleRunAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (BudgetRefusal(tenantId) is { } spent)
        {
            return spent;
        }

        var admission = await AdmitAsync(consoleRuns, tenantId, "console", used => budget.Charge(tenantId, used), cancellationToken);
        if (admission is AdmissionResult.Granted && BudgetRefusal(tenantId) is { } spentWhileWaiting)
        {
            admission.Dispose();
            return spentWhileWaiting;
        }

        return admission;
    }

    /// <summary>
    /// A place for one slice of a backtest, at once or not at all: refused while the tenant's backtest budget for this minute
    /// is spent, or while every place is taken or a login of the tenant waits for one. A backtest never queues
    /// among logins, so it can delay a login by at most the slice it is running.
    /// </summary>
    public AdmissionResult AdmitBacktestSlice(string tenantId)
    {
        if (backtestBudget.ExhaustedFor(tenantId) is { } wait)
        {
            return new AdmissionResult.Refused($"This tenant's backtests used their {backtestBudget.PerMinute.TotalSeconds:0.###} s of evaluation time for this minute.", wait);
        }

        // Never queued: a place now or none (and none while logins wait: the limiter serves its queue first).
        var lease = evaluations.AttemptAcquire(tenantId);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            return new AdmissionResult.Refused("Every place to run this tenant's rules is taken or awaited by logins: the backtest waits for a free one.", RetryWhenBusy);
        }

        return new AdmissionResult.Granted(lease, clock, used => backtestBudget.Charge(tenantId, used));
    }

    public void Dispose()
    {
        consoleRuns.Dispose();
        consoleGate.Dispose();
        evaluations.Dispose();
    }

    private async Task<AdmissionResult> AdmitAsync(
        PartitionedRateLimiter<string> limiter, string tenantId, string kind, Action<TimeSpan>? released, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(queueTimeout);
        try
        {
            var lease = await limiter.AcquireAsync(tenantId, 1, wait.Token);
            if (lease.IsAcquired)
            {
                return new AdmissionResult.Granted(lease, clock, released);
            }

            lease.Dispose();
            return Refuse(tenantId, kind, $"Too many {kind} evaluations of this tenant at once: every place to run and to wait is taken.", RetryWhenBusy);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Refuse(tenantId, kind,
                $"Too many {kind} evaluations of this tenant at once: waited {queueTimeout.TotalSeconds:0.###} s for a place to run.", RetryWhenBusy);
        }
    }

    private AdmissionResult.Refused? BudgetRefusal(string tenantId) => budget.ExhaustedFor(tenantId) is { } wait
        ? Refuse(tenantId, "console", $"This tenant's console runs used their {budget.PerMinute.TotalSeconds:0.###} s of evaluation time for this minute.", wait)
        : null;

    private AdmissionResult.Refused Refuse(string tenantId, string kind, string problem, TimeSpan retryAfter)
    {
        logger.EvaluationRefused(tenantId, kind, problem);
        return new AdmissionResult.Refused(problem, retryAfter);
    }

    private static PartitionedRateLimiter<string> PerTenant(int permits, int queueLength) =>
        PartitionedRateLimiter.Create<string, string>(tenantId => RateLimitPartition.GetConcurrencyLimiter(tenantId, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = queueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
}
