using System.Diagnostics;

namespace RulesMfa.Tests.Cli;

/// <summary>
/// The real <c>rulesmfa</c> executable started with arguments that may make it serve: its output is read as it comes, and
/// it is stopped when a line matches or when it ran for <see cref="Patience"/> (a process that serves never exits alone).
/// </summary>
internal static class ServerProcess
{
    /// <summary>Far longer than a first start on this machine (about 10 s); only a process that hangs or serves reaches it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Runs until the process exits, a line of its output contains <paramref name="until"/>, or <see cref="Patience"/> passed.</summary>
    public static async Task<(int? ExitCode, string Output, string Error)> RunAsync(string? until, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "rulesmfa.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var error = new System.Text.StringBuilder();
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (until is not null && line.Data?.Contains(until, StringComparison.Ordinal) == true)
            {
                seen.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            lock (error)
            {
                error.AppendLine(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        await Task.WhenAny(process.WaitForExitAsync(), seen.Task, Task.Delay(Patience));
        int? exitCode = null;
        if (process.HasExited)
        {
            await process.WaitForExitAsync();
            exitCode = process.ExitCode;
        }
        else
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        lock (output)
        {
            lock (error)
            {
                return (exitCode, output.ToString(), error.ToString());
            }
        }
    }
}
