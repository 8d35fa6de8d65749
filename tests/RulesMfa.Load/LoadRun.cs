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
        _ => LoginDriver.MfaVerify,
    };

    public static async Task<TimeSpan> RunAsync(string scenario, LoadOptions options, UserPool users, IReadOnlyList<LoginDriver> drivers, StepStats stats, TextWriter progress)
    {
        using var stop = new CancellationTokenSource(options.Duration);
        var clock = Stopwatch.StartNew();
        Func<LoadUser, bool> usable = scenario == Refreshes ? user => user.RefreshToken is not null : user => user.CanVerifyNow;
        var workers = Enumerable.Range(0, options.Concurrency).Select(worker => Task.Run(async () =>
        {
            // Each worker stays with one host (its sample app is that host's client).
            var driver = drivers[worker % drivers.Count];
            Func<LoadUser, Task> iteration = scenario switch
            {
                Logins => driver.LoginAsync,
                Refreshes => driver.RefreshAsync,
                _ => driver.VerifyAsync,
            };

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

        var all = Task.WhenAll(workers);
        while (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1))) != all)
        {
            await progress.WriteLineAsync($"{scenario} {stats.ProgressLine(clock.Elapsed, options.Duration)}");
        }

        await all;
        return clock.Elapsed; // iterations in flight at the deadline finish and count: the rate is over the time they took

    }
}
