using System.Globalization;

namespace RulesMfa.Load;

/// <summary>
/// The CPU time the server processes (<c>--server-pid</c>, on this machine) used, from <c>/proc/PID/stat</c> (user and
/// system time): what a step costs the server, apart from the generator and the sample app.
/// </summary>
internal sealed class ServerCpu(IReadOnlyList<int> pids)
{
    /// <summary>Linux's clock ticks per second for /proc (USER_HZ), 100 on every common build.</summary>
    private const double TicksPerSecond = 100;

    public bool Measured => pids.Count > 0;

    public TimeSpan Now() => TimeSpan.FromSeconds(pids.Sum(Ticks) / TicksPerSecond);

    private static long Ticks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
