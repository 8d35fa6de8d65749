using System.Diagnostics;

namespace RulesMfa.Tests.Cli;

/// <summary>Runs the real <c>rulesmfa</c> executable in a child process, with extra environment variables and, optionally, text on its standard input.</summary>
internal static class CliProcess
{
    public static Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) => RunWithInputAsync(environment, null, args);

    public static Task<CliRun> RunWithInputAsync(IReadOnlyDictionary<string, string> environment, string? input, params string[] args) =>
        RunInAsync(Environment.CurrentDirectory, environment, input, args);

    /// <summary>As <see cref="RunWithInputAsync"/>, in <paramref name="workingDirectory"/>.</summary>
    public static async Task<CliRun> RunInAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, string? input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = input is not null, WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "rulesmfa.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await output, await error);
    }
}
