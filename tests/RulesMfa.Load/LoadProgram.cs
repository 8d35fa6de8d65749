using System.CommandLine;

namespace RulesMfa.Load;

/// <summary>
/// <c>RulesMfa.Load --server URL --data-folder DIR [--duration 20] [--concurrency 4] [--users 200] [--rules FILE.js ...]
/// [--scenario login|refresh|verify ...] [--no-mfa]</c>: sets up a tenant of its own on the server, enrolls its users through the
/// pages, then runs each scenario for the duration and prints, per step, the count, throughput and p50/p95/p99, with a
/// progress line every second while it runs.
/// </summary>
public static class LoadProgram
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter progress)
    {
        var servers = new Option<string[]>("--server")
        {
            Description = "The RulesMfa server's URL, such as http://127.0.0.1:5000; repeated for hosts on one database (the workers split between them).",
            Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var dataFolder = new Option<string>("--data-folder") { Description = "The server's data folder (its database), where the set-up writes as the CLI does.", Required = true };
        var duration = new Option<int>("--duration") { Description = "Seconds each scenario runs at most (default 20); verify ends sooner once every prepared sign-in's code is posted.", DefaultValueFactory = _ => 20 };
        var concurrency = new Option<int>("--concurrency") { Description = "Logins or grants in flight at once (default 4).", DefaultValueFactory = _ => 4 };
        var users = new Option<int>("--users")
        {
            Description = "Users of the load tenant (default 200). Each passes TOTP about once per 30 s (a code is single use): too few and workers wait.",
            DefaultValueFactory = _ => 200,
        };
        var rules = new Option<string[]>("--rules") { Description = "Rule files (.js) for the tenant, in order (default none).", AllowMultipleArgumentsPerToken = true };
        var scenarios = new Option<string[]>("--scenario")
        {
            Description = "login (password + TOTP through the pages), refresh (refresh-token grants: rules only), verify (the TOTP code alone: every user who can pass TOTP now is first signed in up to the MFA page, untimed, then their codes are posted as fast as the workers go, each timed to the server's answer); default all (login and refresh with --no-mfa).",
            AllowMultipleArgumentsPerToken = true,
        };
        scenarios.AcceptOnlyFromAmong(LoadRun.All);
        var noMfa = new Option<bool>("--no-mfa")
        {
            Description = "The tenant requires no MFA and no user enrolls: logins are the password alone, the floor the cost of MFA and the rules is measured against (login and refresh only; a rule that asks for MFA fails the login).",
        };
        var serverPids = new Option<int[]>("--server-pid")
        {
            Description = "The server processes' ids, when they run on this machine: the report adds their CPU time per iteration.", AllowMultipleArgumentsPerToken = true,
        };
        var root = new RootCommand("RulesMfa's load generator.") { servers, dataFolder, duration, concurrency, users, rules, scenarios, serverPids, noMfa };
        root.SetAction((parsed, cancellationToken) =>
        {
            var options = new LoadOptions([.. parsed.GetValue(servers)!.Select(url => url.TrimEnd('/'))], parsed.GetValue(dataFolder)!, TimeSpan.FromSeconds(parsed.GetValue(duration)),
                parsed.GetValue(concurrency), parsed.GetValue(users), parsed.GetValue(rules) ?? [],
                parsed.GetValue(scenarios) is { Length: > 0 } chosen ? chosen : parsed.GetValue(noMfa) ? [LoadRun.Logins, LoadRun.Refreshes] : LoadRun.All, parsed.GetValue(serverPids) ?? [], parsed.GetValue(noMfa));
            return RunAsync(options, output, progress, cancellationToken);
        });
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = progress });
    }

    private static async Task<int> RunAsync(LoadOptions options, TextWriter output, TextWriter progress, CancellationToken cancellationToken)
    {
        progress = TextWriter.Synchronized(progress); // workers enroll in parallel
        if (options.Duration <= TimeSpan.Zero || options.Concurrency < 1 || options.Users < options.Concurrency)
        {
            await progress.WriteLineAsync("RulesMfa.Load: --duration must be positive, --concurrency at least 1, and --users at least --concurrency");
            return 2;
        }

        if (options.NoMfa && options.Scenarios.Contains(LoadRun.Verifications))
        {
            await progress.WriteLineAsync("RulesMfa.Load: --no-mfa has no verify scenario (no user enrolls); choose --scenario login refresh");
            return 2;
        }

        using var http = new HttpClient();
        try
        {
            foreach (var server in options.Servers)
            {
                await WaitUntilReadyAsync(server, cancellationToken);
            }

            await using var tenant = await LoadTenant.StartAsync(options, http, output, progress, cancellationToken);
            var (targets, pool) = (tenant.Targets, tenant.Pool);
            var cpu = new ServerCpu(options.ServerPids);
            var ruleTime = new ServerRuleTime(targets);
            foreach (var scenario in options.Scenarios)
            {
                var stats = new StepStats();
                List<LoginDriver> drivers = [.. targets.Select(target => new LoginDriver(target, stats))];
                var prepared = scenario == LoadRun.Verifications ? await LoadRun.PrepareChecksAsync(options, pool, drivers, progress) : null;
                var cpuBefore = cpu.Measured ? cpu.Now() : TimeSpan.Zero;
                var machineBefore = MachineCpu.Measured ? MachineCpu.Now() : TimeSpan.Zero;
                var rulesBefore = await ruleTime.NowAsync(cancellationToken);
                var elapsed = await LoadRun.RunAsync(scenario, options, pool, drivers, stats, progress, prepared);
                var cpuUsed = cpu.Measured ? cpu.Now() - cpuBefore : TimeSpan.Zero;
                var machineUsed = MachineCpu.Measured ? MachineCpu.Now() - machineBefore : TimeSpan.Zero;
                var rulesRan = await ruleTime.NowAsync(cancellationToken) - rulesBefore;
                await output.WriteLineAsync(
                    $"scenario {scenario}: {options.Duration.TotalSeconds:F0} s, concurrency {options.Concurrency}, {options.Servers.Count} host(s), {options.Rules.Count} rules");
                foreach (var row in stats.Table(elapsed))
                {
                    await output.WriteLineAsync(row);
                }

                if (cpu.Measured && stats.Count(LoadRun.MainStep(scenario)) is > 0 and var iterations)
                {
                    await output.WriteLineAsync($"server CPU: {cpuUsed.TotalMilliseconds / iterations:F1} ms per {LoadRun.MainStep(scenario)} " +
                        $"({cpuUsed.TotalSeconds:F1} s over {elapsed.TotalSeconds:F1} s)");
                }

                if (MachineCpu.Measured && stats.Count(LoadRun.MainStep(scenario)) is > 0 and var steps)
                {
                    var (perStep, cores) = (machineUsed.TotalSeconds / steps, MachineCpu.Cores);
                    await output.WriteLineAsync($"machine CPU: {1000 * perStep:F1} ms per {LoadRun.MainStep(scenario)}, every process " +
                        $"({machineUsed.TotalSeconds:F1} s over {elapsed.TotalSeconds:F1} s on {cores} cores): at most {cores / Math.Max(perStep, 1e-6):F0} per second here");
                }

                if (rulesRan is { Runs: > 0 } ran && stats.Count(LoadRun.MainStep(scenario)) is > 0 and var perIteration)
                {
                    var share = cpu.Measured ? $", {100 * ran.Seconds / cpuUsed.TotalSeconds:F1} % of the server CPU" : "";
                    await output.WriteLineAsync($"rules at the server: {1000 * ran.Seconds / perIteration:F2} ms per {LoadRun.MainStep(scenario)}{share} " +
                        $"({(double)ran.Runs / perIteration:F2} runs of the pipeline each, {1e6 * ran.Seconds / ran.Runs:F0} µs per run; /metrics)");
                }

                foreach (var error in stats.FirstErrors)
                {
                    await output.WriteLineAsync($"  first errors: {error}");
                }
            }

            if (!options.NoMfa)
            {
                await output.WriteLineAsync($"workers waited {pool.Waits} times for a user whose next TOTP step the server takes");
            }

            return 0;
        }
        catch (LoadException failure)
        {
            await progress.WriteLineAsync($"RulesMfa.Load: {failure.Message}");
            return 1;
        }
        catch (TaskCanceledException timedOut) when (!cancellationToken.IsCancellationRequested)
        {
            // Left to System.CommandLine, a timeout would end the run with exit code 1 and no word.
            await progress.WriteLineAsync($"RulesMfa.Load: a request to the server timed out: {timedOut.Message}");
            return 1;
        }
    }

    /// <summary>Waits for the server's /ready (a first start creates the database), at most a minute.</summary>
    private static async Task WaitUntilReadyAsync(string server, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(server + "/ready", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception notYet) when (notYet is HttpRequestException || (notYet is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Not listening yet, or too busy to answer within the request's timeout: asked again until the deadline.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new LoadException($"{server}/ready did not answer 200 within a minute");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}
