using System.Collections.Concurrent;
using System.Diagnostics;

namespace RulesMfa.Load;

/// <summary>
/// One scenario for the run's duration: <see cref="LoadOptions.Concurrency"/> workers spread over the hosts, each taking a
/// user, doing one iteration, giving it back. Returns how long it ran, the last iterations included.
/// </summary>
internal static class LoadRun
{
    public const string Logins = "login";
    public const string Refreshes = "refresh";
    public const string Verifications = "verify";

    public static readonly string[] All = [Logins, Refreshes, Verifications];

    /// <summary>The step that is one iteration of <paramref name="scenario"/>.</summary>
    public static string MainStep(string scenario) => scenario switch
    {
        Logins => LoginDriver.Login,
        Refreshes => LoginDriver.Refresh,
        _ => LoginDriver.MfaCheck,
    };

    /// <summary>
    /// Runs <paramref name="scenario"/>; <see cref="Verifications"/> posts the codes of <paramref name="prepared"/> (from
    /// <see cref="PrepareChecksAsync"/>, untimed, before the run and its CPU time).
    /// </summary>
    public static Task<TimeSpan> RunAsync(string scenario, LoadOptions options, UserPool users, IReadOnlyList<LoginDriver> drivers, StepStats stats, TextWriter progress,
        ConcurrentQueue<LoginDriver.PreparedCheck>? prepared = null) =>
        scenario == Verifications
            ? CheckPreparedAsync(options, prepared ?? throw new ArgumentNullException(nameof(prepared)), stats, progress)
            : IterateAsync(scenario, options, users, drivers, stats, progress);

    private static async Task<TimeSpan> IterateAsync(string scenario, LoadOptions options, UserPool users, IReadOnlyList<LoginDriver> drivers, StepStats stats, TextWriter progress)
    {
        using var stop = new CancellationTokenSource(options.Duration);
        var clock = Stopwatch.StartNew();
        Func<LoadUser, bool> usable = scenario == Refreshes ? user => user.RefreshToken is not null : options.NoMfa ? _ => true : user => user.CanVerifyNow;
        var workers = Enumerable.Range(0, options.Concurrency).Select(worker => Task.Run(async () =>
        {
            // Each worker stays with one host (its sample app is that host's client).
            var driver = drivers[worker % drivers.Count];
            Func<LoadUser, Task> iteration = scenario == Refreshes ? driver.RefreshAsync : driver.LoginAsync;
            while (!stop.IsCancellationRequested)
            {
                LoadUser user;
                try
                {
                    user = await users.TakeAsync(usable, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    await iteration(user);
                }
                catch (Exception failure) when (failure is LoadException or HttpRequestException)
                {
                    // Counted by the step that failed; the worker goes on with the next user.
                }
                finally
                {
                    users.Return(user);
                }
            }
        })).ToList();

        return await ReportWhileRunningAsync(scenario, workers, clock, options, stats, progress);
    }

    /// <summary>
    /// Every user who can pass TOTP now, signed in up to the MFA page, untimed: the password's hash is the cost of a
    /// login, and verification alone is measured without it.
    /// </summary>
    public static async Task<ConcurrentQueue<LoginDriver.PreparedCheck>> PrepareChecksAsync(LoadOptions options, UserPool users, IReadOnlyList<LoginDriver> drivers, TextWriter progress)
    {
        var ready = new List<LoadUser>();
        while (users.TryTake(user => user.CanVerifyNow) is { } user)
        {
            ready.Add(user);
        }

        var prepared = new ConcurrentQueue<LoginDriver.PreparedCheck>();
        var tried = 0;
        await Parallel.ForEachAsync(ready.Select((user, index) => (user, index)), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (next, _) =>
        {
            try
            {
                prepared.Enqueue(await drivers[next.index % drivers.Count].PrepareCheckAsync(next.user));
            }
            catch (Exception failure) when (failure is LoadException or HttpRequestException)
            {
                await progress.WriteLineAsync($"verify: {next.user.Email} not prepared: {failure.Message}");
            }

            if (Interlocked.Increment(ref tried) % 100 == 0)
            {
                await progress.WriteLineAsync($"verify: {prepared.Count} of {ready.Count} sign-ins taken to the MFA page");
            }
        });
        ready.ForEach(users.Return);
        await progress.WriteLineAsync($"verify: {prepared.Count} sign-ins prepared; their codes are now posted, {options.Concurrency} at a time");
        return prepared;
    }

    /// <summary>The prepared sign-ins' codes, each post timed alone, until they are all posted or the duration is over.</summary>
    private static async Task<TimeSpan> CheckPreparedAsync(LoadOptions options, ConcurrentQueue<LoginDriver.PreparedCheck> prepared, StepStats stats, TextWriter progress)
    {
        using var stop = new CancellationTokenSource(options.Duration);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && prepared.TryDequeue(out var next))
            {
                try
                {
                    await next.Driver.CheckAsync(next);
                }
                catch (Exception failure) when (failure is LoadException or HttpRequestException)
                {
                    // Counted by the step.
                }
            }
        })).ToList();

        var elapsed = await ReportWhileRunningAsync(Verifications, workers, clock, options, stats, progress);
        while (prepared.TryDequeue(out var unused))
        {
            unused.Browser.Dispose();
        }

        return elapsed;
    }

    private static async Task<TimeSpan> ReportWhileRunningAsync(string scenario, List<Task> workers, Stopwatch clock, LoadOptions options, StepStats stats, TextWriter progress)
    {
        var all = Task.WhenAll(workers);
        while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1))) != all)
        {
            await progress.WriteLineAsync($"{scenario} {stats.ProgressLine(clock.Elapsed, options.Duration)}");
        }

        await all;
        var elapsed = clock.Elapsed; // iterations in flight at the deadline finish and count: the rate is over the time they took
        await progress.WriteLineAsync($"{scenario} {stats.ProgressLine(elapsed, options.Duration)}"); // the last, also of a scenario shorter than a second
        return elapsed;
    }
}
