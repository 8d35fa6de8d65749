using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RulesMfa.Host.Storage;

namespace RulesMfa.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run: <c>initdb</c> in a temporary folder (trust authentication, C locale),
/// <c>pg_ctl start</c> on a free port of 127.0.0.1, started by the first test that needs it and stopped and deleted when
/// the run ends (<see cref="PostgreSqlClusterTeardown"/>), or by a later run when this one was killed first
/// (<see cref="OrphanedClusters"/>). Each test gets its own database, a copy of one migrated template.
/// Run as root (as CI does), the cluster belongs to the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// When it cannot start, every test that needs it fails with the reason: none is skipped.
/// </summary>
internal sealed class PostgreSqlCluster
{
    private const string Template = "rulesmfa_template";
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static PostgreSqlCluster? started;
    private static Exception? failure;

    private readonly string folder;
    private readonly string bin;
    private readonly string? runAs;
    private int databases;

    private PostgreSqlCluster(string folder, string bin, string? runAs, int port)
    {
        this.folder = folder;
        this.bin = bin;
        this.runAs = runAs;
        Port = port;
    }

    public string Folder => folder;

    private string Data => Path.Combine(folder, "data");

    private string Log => Path.Combine(folder, "server.log");

    public int Port { get; }

    /// <summary>The cluster of this test run, started on first use; throws why it could not start (again for every caller).</summary>
    public static async Task<PostgreSqlCluster> StartedAsync()
    {
        await Starting.WaitAsync();
        try
        {
            if (failure is not null)
            {
                throw new InvalidOperationException(failure.Message, failure);
            }

            if (started is null)
            {
                try
                {
                    started = await StartAsync();
                }
                catch (Exception exception)
                {
                    failure = exception;
                    throw;
                }
            }

            return started;
        }
        finally
        {
            Starting.Release();
        }
    }

    /// <summary>A new database of its own, migrated or empty; the caller drops it with <see cref="DropDatabaseAsync"/>.</summary>
    public async Task<string> CreateDatabaseAsync(bool migrated)
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref databases)}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{(migrated ? Template : "template0")}\"");
        return ConnectionString(name);
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\" WITH (FORCE)");
    }

    /// <summary>Stops the cluster and deletes its folder, when this run started one.</summary>
    public static void StopIfStarted()
    {
        if (started is not { } cluster)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        cluster.StopAndDelete();
        started = null;
    }

    /// <summary>
    /// Stops and deletes the clusters of earlier runs that were killed before their teardown. Best effort: a server that
    /// is already gone, or a folder another run is sweeping at the same time, never keeps this run's cluster from starting.
    /// </summary>
    internal static void StopOrphans(string bin, string? runAs)
    {
        foreach (var folder in OrphanedClusters.In(Path.GetTempPath()))
        {
            try
            {
                new PostgreSqlCluster(folder, bin, runAs, port: 0).Stop();
            }
            catch (InvalidOperationException)
            {
                // pg_ctl found no server to stop (a stale postmaster.pid), or another run stopped it first.
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Another run deleted it first.
            }
        }
    }

    private void StopAndDelete()
    {
        Stop();
        Directory.Delete(folder, recursive: true);
    }

    private void Stop()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            Run("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        }
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=50;Include Error Detail=true";

    private static async Task<PostgreSqlCluster> StartAsync()
    {
        var (bin, runAs) = Installation();
        StopOrphans(bin, runAs);
        var cluster = StartServer(bin, runAs);
        await cluster.ExecuteAsync($"CREATE DATABASE \"{Template}\"");
        await using (var context = new DatabaseTarget(StorageProvider.PostgreSql, cluster.ConnectionString(Template) + ";Pooling=false").CreateContext())
        {
            await context.Database.MigrateAsync();
        }

        return cluster;
    }

    /// <summary>Where PostgreSQL's programs are, and the user to run them as (PostgreSQL refuses root).</summary>
    internal static (string Bin, string? RunAs) Installation() =>
        (BinaryFolder() ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb on PATH nor in /usr/lib/postgresql/*/bin): install Debian's 'postgresql' package (./test.sh does, as root)"),
         Environment.UserName == "root" ? "postgres" : null);

    /// <summary>A new cluster in a new temporary folder owned by this process, started, with no database of ours yet.</summary>
    internal static PostgreSqlCluster StartServer(string bin, string? runAs)
    {
        var folder = Directory.CreateTempSubdirectory(OrphanedClusters.FolderPrefix).FullName;
        OrphanedClusters.Claim(folder);
        if (runAs is not null)
        {
            Process.Start("chown", [runAs, folder]).WaitForExit();
        }

        var cluster = new PostgreSqlCluster(folder, bin, runAs, FreePort());
        cluster.Run("initdb", "-D", cluster.Data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C");
        // fsync off: a test cluster need not survive a power cut, and it spares the shared disk.
        cluster.Run("pg_ctl", "-D", cluster.Data, "-l", cluster.Log, "-w", "-t", "60", "-o",
            $"-p {cluster.Port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
            "start");
        return cluster;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(runAs is null ? Path.Combine(bin, program) : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (runAs is not null)
        {
            foreach (var argument in (string[])["-u", runAs, "--", Path.Combine(bin, program)])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL's {program} failed (exit {process.ExitCode}): {error.Result}{output.Result}{(File.Exists(Log) ? File.ReadAllText(Log) : "")}");
        }
    }

    private static string? BinaryFolder()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "initdb")).FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return Path.GetDirectoryName(Path.GetFullPath(new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath));
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
                .Where(folder => File.Exists(Path.Combine(folder, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
