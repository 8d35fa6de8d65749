using System.Diagnostics;

namespace RulesMfa.Benchmarks.Flood;

/// <summary>
/// Measures what another tenant sees while one tenant floods the console (issue 11 finding 6). Starts the real server
/// (with the given configuration arguments), then measures the quiet tenant's discovery document and full password
/// logins one at a time: first with nothing else running, then while the flooding tenant keeps console runs of a hostile
/// rule in flight at its maximum limits (<c>--attack spin</c>, 64 of <c>while (true) {}</c>, by default; <c>--attack
/// big-alternation --in-flight 20</c> is issue 20's). Prints p50, p99 and max per phase.
/// </summary>
internal static class FloodCheck
{
    private const int Rounds = 40;
    private const int DiscoveriesPerRound = 5;

    // A phase ends after its rounds or after this long, whichever is first, so that a starved server ends the check too.
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(string[] args)
    {
        var attack = Option(ref args, "--attack") ?? "spin";
        var inFlight = int.Parse(Option(ref args, "--in-flight") ?? "64", System.Globalization.CultureInfo.InvariantCulture);
        var serverArgs = args;
        await using var server = await FloodServer.StartAsync(serverArgs);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var limits = server.FloodLimits;
        Console.Error.WriteLine($"flood: tenant '{FloodServer.FloodTenant}' at {limits.RuleTimeout.TotalSeconds:0.###} s per rule, " +
            $"{limits.PipelineTimeout.TotalSeconds:0.###} s per login, {limits.MaxStatements:N0} statements; server arguments: {string.Join(' ', serverArgs)}");
        await MeasureAsync(server, http, rounds: 2, "warm-up");

        var rows = new List<string>();
        rows.AddRange(await MeasureAsync(server, http, Rounds, "no flood"));

        using var stop = new CancellationTokenSource();
        var flood = new ConsoleFlood(server.FloodApi, server.FloodToken, inFlight, ConsoleFlood.Attacks[attack]);
        var flooding = flood.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));
        rows.AddRange(await MeasureAsync(server, http, Rounds, $"{inFlight} console runs of '{attack}' in flight"));
        await stop.CancelAsync();
        await flooding;

        Console.WriteLine();
        Console.WriteLine("| Phase | Request | Count | Failed | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine($"Flood: {flood.Completed} console runs completed, {flood.Refused} refused (429), {flood.Failed} other answers.");
        return 0;
    }

    /// <summary>Takes <c>NAME VALUE</c> out of the arguments; null when absent.</summary>
    private static string? Option(ref string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0 || at == args.Length - 1)
        {
            return null;
        }

        var value = args[at + 1];
        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }

    /// <summary>Rounds of one password login then a few discovery requests, one request at a time.</summary>
    private static async Task<string[]> MeasureAsync(FloodServer server, HttpClient http, int rounds, string phase)
    {
        var (discovery, logins) = (new Latencies("discovery"), new Latencies("password login"));
        var phaseTime = Stopwatch.StartNew();
        for (var round = 0; round < rounds && phaseTime.Elapsed < PhaseLimit; round++)
        {
            var started = Stopwatch.GetTimestamp();
            var failure = await PasswordLogin.RunAsync(server.AppUrl, FloodServer.QuietEmail, FloodServer.Password, CancellationToken.None);
            logins.Add(Stopwatch.GetElapsedTime(started), failure is null);
            if (failure is not null)
            {
                Console.Error.WriteLine($"flood: login failed: {failure}");
            }

            for (var request = 0; request < DiscoveriesPerRound; request++)
            {
                started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync($"{server.Issuer(FloodServer.QuietTenant)}/.well-known/openid-configuration");
                discovery.Add(Stopwatch.GetElapsedTime(started), response.IsSuccessStatusCode);
            }
        }

        return [discovery.Row(phase), logins.Row(phase)];
    }
}
