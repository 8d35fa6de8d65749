using System.Diagnostics;
using System.Net.Sockets;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Storage;

/// <summary>
/// A test run killed before its teardown leaves its PostgreSQL cluster running (Stryker ends every test host that way);
/// the next run that starts a cluster stops it, and never a cluster whose run is still going.
/// </summary>
public sealed class OrphanedClustersTests
{
    [Test]
    public void ClusterOfARunThatEnded_IsStoppedAndDeletedByTheNextRun_AndNoLiveRunsFolderIsTouched()
    {
        var (bin, runAs) = PostgreSqlCluster.Installation();
        var orphan = PostgreSqlCluster.StartServer(bin, runAs);
        OrphanedClusters.Claim(orphan.Folder, EndedProcessId(), startTicks: 0);
        var reusedId = ClaimedFolder(Environment.ProcessId, startTicks: 0);
        var live = ClaimedFolder(Environment.ProcessId, OrphanedClusters.StartOf(Environment.ProcessId)!.Value);
        var unclaimed = Directory.CreateTempSubdirectory(OrphanedClusters.FolderPrefix).FullName;
        try
        {
            Assert.That(Accepts(orphan.Port), Is.True, "the orphan was running before the sweep");

            PostgreSqlCluster.StopOrphans(bin, runAs);

            Assert.Multiple(() =>
            {
                Assert.That(Accepts(orphan.Port), Is.False, "the orphan's server was stopped");
                Assert.That(Directory.Exists(orphan.Folder), Is.False, "the orphan's folder was deleted");
                Assert.That(Directory.Exists(reusedId), Is.False, "a folder whose process id now belongs to another process is an orphan too");
                Assert.That(Directory.Exists(live), Is.True, "a running test run's folder is kept");
                Assert.That(Directory.Exists(unclaimed), Is.True, "a folder naming no owner is kept");
            });
        }
        finally
        {
            foreach (var folder in new[] { reusedId, live, unclaimed })
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
    }

    [Test]
    public void OrphanWhoseServerIsAlreadyGone_IsDeleted_AndTheSweepGoesOn()
    {
        var (bin, runAs) = PostgreSqlCluster.Installation();
        var stale = ClaimedFolder(EndedProcessId(), startTicks: 0);
        Directory.CreateDirectory(Path.Combine(stale, "data"));
        File.WriteAllText(Path.Combine(stale, "data", "postmaster.pid"), $"{EndedProcessId()}\n");

        Assert.That(() => PostgreSqlCluster.StopOrphans(bin, runAs), Throws.Nothing, "pg_ctl's failure to stop a server that is gone is no error of the run");
        Assert.That(Directory.Exists(stale), Is.False, "the stale orphan's folder was deleted");
    }

    private static string ClaimedFolder(int processId, long startTicks)
    {
        var folder = Directory.CreateTempSubdirectory(OrphanedClusters.FolderPrefix).FullName;
        OrphanedClusters.Claim(folder, processId, startTicks);
        return folder;
    }

    private static int EndedProcessId()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
