using System.Collections.Concurrent;
using RulesMfa.Engine.Compilation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.SandboxConsole.Drafts;

namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>
/// The backtests of every tenant: at most one running per tenant, and at most half the cores' worth across the server (the
/// others wait their turn), each in the background with its own scope. Only the newest backtest of a tenant is kept, in
/// memory: a restart forgets it.
/// </summary>
public sealed class BacktestJobs(IServiceScopeFactory scopes, RuleCompiler compiler, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<BacktestJobs> logger)
{
    public const int DefaultLogins = 1_000;

    /// <summary>The most logins one backtest may run on (the decision log keeps <see cref="RulesMfa.Host.Login.DecisionLog.KeptPerTenant"/> per tenant).</summary>
    public const int MaxLogins = 10_000;

    private readonly ConcurrentDictionary<string, BacktestJob> newest = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim running = new(Math.Max(1, Environment.ProcessorCount / 2));
    private readonly Lock starting = new();

    /// <summary>The tenant's newest backtest, running or ended; null when it has none.</summary>
    public BacktestJob? Newest(string tenantId) => newest.GetValueOrDefault(tenantId);

    /// <summary>Starts a backtest, or says why not: the request's problems, or the backtest of this tenant already running.</summary>
    public (BacktestJob? Job, IReadOnlyList<FieldError> Errors, string? Busy) Start(string tenantId, Actor actor, BacktestRequest request)
    {
        var errors = new List<FieldError>();
        if (request.Rules is not { Count: > 0 } drafts)
        {
            return (null, [new FieldError("rules", "give the draft rule set to run: [{\"id\", \"source\", \"enabled\"?}, ...]")], null);
        }

        errors.AddRange(DraftLimits.Problems(drafts));
        if (request.Last is < 1 or > MaxLogins)
        {
            errors.Add(new FieldError("last", $"must be 1 to {MaxLogins:N0} (the newest recorded logins to run on; default {DefaultLogins:N0})"));
        }

        if (errors.Count > 0)
        {
            // Before the rules are read: a rule the draft left null is named above, and reading it threw (a 500).
            return (null, errors, null);
        }

        var rules = drafts.Where(rule => rule.Enabled).Select(rule => RuleSource.Inline(rule.Id, rule.Source)).ToList();
        errors.AddRange(ConsoleEvaluator.CompileErrors(compiler.For(tenantId), rules));
        if (errors.Count > 0)
        {
            return (null, errors, null);
        }

        BacktestJob job;
        lock (starting)
        {
            if (Newest(tenantId) is { IsRunning: true } other)
            {
                return (null, [], $"A backtest of this tenant is running (started by {other.StartedBy} at {other.StartedAt:u}); wait for it or cancel it.");
            }

            job = new BacktestJob(Guid.NewGuid().ToString("N"), actor.Name, clock.GetUtcNow(), request.Last ?? DefaultLogins);
            newest[tenantId] = job;
        }

        logger.BacktestStarted(actor.Name, job.Id, tenantId, job.Total);
        _ = Task.Run(() => RunAsync(tenantId, rules, job));
        return (job, [], null);
    }

    /// <summary>Cancels the tenant's running backtest; false when none runs.</summary>
    public bool Cancel(string tenantId)
    {
        if (Newest(tenantId) is not { IsRunning: true } job)
        {
            return false;
        }

        job.Cancel();
        return true;
    }

    private async Task RunAsync(string tenantId, IReadOnlyList<RuleSource> rules, BacktestJob job)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation, lifetime.ApplicationStopping);
        try
        {
            job.Progress(0, "Other tenants' backtests are running: this one waits for its turn.");
            await running.WaitAsync(stop.Token);
            try
            {
                job.Progress(0, null);
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<BacktestRun>().RunAsync(tenantId, rules, job.Total, job, stop.Token);
                job.Finish(result);
                logger.BacktestEnded(job.Id, tenantId, job.State, result.Changed, result.Compared);
            }
            finally
            {
                running.Release();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            job.Fail(job.Cancellation.IsCancellationRequested ? "Cancelled." : "The server stopped.", cancelled: true);
            logger.BacktestEnded(job.Id, tenantId, job.State, 0, job.Done);
        }
        catch (Exception exception)
        {
            job.Fail("The backtest failed because of an internal error (logged on the server).", cancelled: false);
            logger.BacktestFailed(exception, job.Id, tenantId);
        }
    }
}
