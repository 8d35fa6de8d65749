using System.Diagnostics;
using System.Globalization;

namespace RulesMfa.Tests.Support;

/// <summary>
/// Which test clusters' runs have ended without stopping them. A test host killed before its teardown (Stryker ends each
/// of its test hosts as soon as it knows its mutants' fate) leaves its cluster running; each cluster's folder names the
/// process that owns it, and the next run to start a cluster stops those whose owner is gone.
/// </summary>
internal static class OrphanedClusters
{
    public const string FolderPrefix = "rulesmfa-postgresql-";
    private const string OwnerFile = "owner";

    /// <summary>Records this process, with its start time (a process id alone may be reused), as the folder's owner.</summary>
    public static void Claim(string folder) => Claim(folder, Environment.ProcessId, StartOf(Environment.ProcessId)!.Value);

    internal static void Claim(string folder, int processId, long startTicks) =>
        File.WriteAllText(Path.Combine(folder, OwnerFile), FormattableString.Invariant($"{processId} {startTicks}"));

    /// <summary>The cluster folders under <paramref name="root"/> whose owner has ended; a folder naming no owner is left alone.</summary>
    public static IReadOnlyList<string> In(string root) =>
        [.. Directory.EnumerateDirectories(root, FolderPrefix + "*").Where(IsOrphaned)];

    private static bool IsOrphaned(string folder)
    {
        var owner = Path.Combine(folder, OwnerFile);
        if (!File.Exists(owner) || File.ReadAllText(owner).Split(' ') is not [var id, var start])
        {
            return false;
        }

        var startTicks = StartOf(int.Parse(id, CultureInfo.InvariantCulture));
        return startTicks is null || Math.Abs(startTicks.Value - long.Parse(start, CultureInfo.InvariantCulture)) > TimeSpan.TicksPerSecond;
    }

    internal static long? StartOf(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
