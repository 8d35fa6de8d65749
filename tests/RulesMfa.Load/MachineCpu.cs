using System.Globalization;

namespace RulesMfa.Load;

/// <summary>
/// The CPU time every process on this machine used, from the first line of <c>/proc/stat</c> (user, nice, system, irq
/// and softirq; not idle, iowait or the hypervisor's steal): what a step costs the server, the database and the
/// generator together, and so how many steps per second this machine's cores could do at most.
/// </summary>
internal static class MachineCpu
{
    /// <summary>Linux's clock ticks per second for /proc (USER_HZ), 100 on every common build.</summary>
    private const double TicksPerSecond = 100;

    public static bool Measured => File.Exists("/proc/stat");

    /// <summary>The machine's cores (its <c>cpuN</c> lines), not this process's: the generator may be pinned to one.</summary>
    public static int Cores => File.ReadLines("/proc/stat").Count(line => line.Length > 3 && line.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(line[3]));

    public static TimeSpan Now()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((Field(1) + Field(2) + Field(3) + Field(6) + Field(7)) / TicksPerSecond);
    }
}
