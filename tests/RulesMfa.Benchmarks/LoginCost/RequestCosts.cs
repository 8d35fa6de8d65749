using System.Globalization;

namespace RulesMfa.Benchmarks.LoginCost;

/// <summary>
/// Where a login's time goes, request by request: one <see cref="LoginCostBenchmarks"/> case (TOTP by default;
/// <c>--no-mfa</c> the floor, <c>--ten-rules</c> with the samples), warmed up as there, then <c>--logins</c> logins
/// (400 by default) recorded by <see cref="RequestRecorder"/>. Prints a table by request: how many per login, the median
/// time, the time per login, the allocation and the SQL statements. Compare two runs' tables to see what MFA adds.
/// </summary>
internal static class RequestCosts
{
    private const int Users = 2000;
    private const int WarmUpLogins = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var mfa = !args.Contains("--no-mfa");
        var rules = args.Contains("--ten-rules") ? LoginCostBenchmarks.TenSampleRules() : [];
        var at = Array.IndexOf(args, "--logins");
        var logins = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 400;

        var recorder = new RequestRecorder();
        await using var login = await LoginCase.StartAsync(mfa, rules, Users, WarmUpLogins, recorder.AddTo);
        recorder.Recording = true;
        for (var done = 0; done < logins; done++)
        {
            await login.LoginAsync();
        }

        recorder.Recording = false;
        Console.WriteLine();
        Console.WriteLine($"{logins} logins, {(mfa ? "password + TOTP" : "password alone")}, {rules.Length} rules:");
        Console.WriteLine();
        Console.WriteLine("| Request | Per login | Median ms | ms per login | KB allocated each | Statements per login |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var kind in recorder.Requests.GroupBy(request => request.Name).OrderBy(kind => kind.Key, StringComparer.Ordinal))
        {
            var times = kind.Select(request => request.Milliseconds).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{kind.Key}` | {(double)times.Count / logins:0.##} | {times[times.Count / 2]:0.000} | {times.Sum() / logins:0.000} | " +
                $"{kind.Average(request => request.AllocatedBytes) / 1024:0} | {(double)kind.Sum(request => request.Statements.Count) / logins:0.##} |"));
        }

        var total = recorder.Requests.Sum(request => request.Milliseconds) / logins;
        var statements = (double)recorder.Requests.Sum(request => request.Statements.Count) / logins;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| all | | | {total:0.000} | | {statements:0.##} |"));
        return 0;
    }
}
