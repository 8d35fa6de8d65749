using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Compilation;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Admission;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>
/// Runs a draft rule set on a tenant's newest recorded logins, newest first, in slices of at most <see cref="SliceTime"/>:
/// each slice is admitted like a console run but never waits among logins (<see cref="EvaluationAdmission.AdmitBacktestSlice"/>),
/// and the job pauses, saying why, until the next slice is admitted.
/// </summary>
public sealed class BacktestRun(RulesMfaDbContext database, TenantRules tenantRules, TenantConfiguration configuration, EvaluationAdmission admission)
{
    /// <summary>How long one admitted slice runs at most: the longest a login can wait behind a backtest.</summary>
    public static readonly TimeSpan SliceTime = TimeSpan.FromMilliseconds(50);

    private const int PageSize = 500;
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    public async Task<BacktestResult> RunAsync(string tenantId, IReadOnlyList<RuleSource> rules, int last, BacktestJob job, CancellationToken cancellationToken)
    {
        var total = Math.Min(last, await database.Decisions.CountAsync(record => record.TenantId == tenantId, cancellationToken));
        job.Found(total);
        var clock = new ReplayClock();
        var (pipeline, _, _) = await tenantRules.LoadAsync(tenantId, rules, clock, forLogins: false, cancellationToken);
        var tenant = await database.Tenants.AsNoTracking().SingleAsync(record => record.Id == tenantId, cancellationToken);
        // The secrets' placeholders, each to be shown as the log shows its secret.
        var placeholders = new SecretRedaction(configuration.ValuesForRuns(tenant).Where(pair => pair.Value == TenantConfiguration.Placeholder(pair.Key)));
        var comparer = new BacktestComparer(pipeline, clock, placeholders);
        var tally = new BacktestTally();
        var done = 0;
        long? olderThan = null;
        while (done < total)
        {
            var page = await database.Decisions.AsNoTracking()
                .Where(record => record.TenantId == tenantId && (olderThan == null || record.Id < olderThan))
                .OrderByDescending(record => record.Id).Take(Math.Min(PageSize, total - done)).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            olderThan = page[^1].Id;
            var next = 0;
            while (next < page.Count)
            {
                using var slice = await AdmittedSliceAsync(tenantId, job, done, cancellationToken);
                var started = Stopwatch.GetTimestamp();
                do
                {
                    tally.Add(comparer.Compare(page[next++]));
                    done++;
                }
                while (next < page.Count && Stopwatch.GetElapsedTime(started) < SliceTime);

                job.Progress(done, null);
            }
        }

        job.Found(done);
        var result = tally.Result();
        var userIds = result.Changes.Select(change => change.UserId).Distinct().ToList();
        var emails = await database.Users.AsNoTracking().Where(user => user.TenantId == tenantId && userIds.Contains(user.Id))
            .ToDictionaryAsync(user => user.Id, user => user.Email, cancellationToken);
        return result with { Changes = result.Changes.Select(change => change with { UserEmail = emails.GetValueOrDefault(change.UserId) }).ToList() };
    }

    private async Task<AdmissionResult.Granted> AdmittedSliceAsync(string tenantId, BacktestJob job, int done, CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (admission.AdmitBacktestSlice(tenantId))
            {
                case AdmissionResult.Granted granted:
                    return granted;
                case AdmissionResult.Refused refused:
                    job.Progress(done, refused.Problem);
                    await Task.Delay(refused.RetryAfter < LongestPause ? refused.RetryAfter : LongestPause, cancellationToken);
                    break;
            }
        }
    }
}
