using System.Net;
using System.Net.Sockets;
using RulesMfa.Host.Cli;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary>
/// How the executable starts: help never serves, a busy port is one line, and the first start says what it does. Each test
/// runs the real <c>rulesmfa</c> in a child process.
/// </summary>
[NonParallelizable]
public sealed class ServerStartTests
{
    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("help")]
    public async Task Help_PrintsTheVerbsAndExitsWithoutServing(string word)
    {
        using var data = new TempFolder();

        var (exitCode, output, _) = await ServerProcess.RunAsync(until: "Now listening", word, "--Server:DataFolder", data.Path);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), "the process exited by itself: it did not serve");
            Assert.That(output, Does.Contain("Commands:"));
            foreach (var verb in new[] { "eval", "test", "migrate", "deploy", "backtest", "tenant", "admin", "client", "rule", "user" })
            {
                Assert.That(output, Does.Contain($"\n  {verb}"), verb);
            }

            Assert.That(output, Does.Not.Contain("Now listening"));
            Assert.That(Directory.GetFiles(data.Path), Is.Empty, "no database was created");
        });
    }

    [Test]
    public void IsServe_OnlyServerOptionsServe_HelpNeverDoes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CliApp.IsServe([]), Is.True);
            Assert.That(CliApp.IsServe(["--urls", "http://localhost:5001"]), Is.True);
            Assert.That(CliApp.IsServe(["--urls", "http://localhost:5001", "--help"]), Is.False);
            Assert.That(CliApp.IsServe(["-h"]), Is.False);
            Assert.That(CliApp.IsServe(["help"]), Is.False);
            Assert.That(CliApp.IsServe(["eval"]), Is.False);
        });
    }

    [Test]
    public void Help_VerbAfterHelp_DescribesThatVerb()
    {
        var run = CliRun.Of("help", "migrate");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.Output, Does.Contain(" migrate <RULE>").And.Contain("Print the Action equivalent to a Rule."));
        });
    }

    [Test]
    public async Task Serve_PortInUse_SaysSoInOneLineAndExitsTwo()
    {
        using var data = new TempFolder();
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndPoint!).Port}";

        var (exitCode, output, error) = await ServerProcess.RunAsync(until: null, "--urls", url, "--Server:DataFolder", data.Path);

        var errorLines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(errorLines, Has.Length.EqualTo(1), error);
            Assert.That(errorLines[0], Does.StartWith($"rulesmfa: cannot listen on {url}: the address is already in use"));
            Assert.That(output + error, Does.Not.Contain("Exception").And.Not.Contain("   at "));
        });
    }

    [Test]
    public async Task Serve_FirstStart_SaysWhatItDoesBeforeListening()
    {
        using var data = new TempFolder();

        var (_, output, error) = await ServerProcess.RunAsync(until: "Now listening", "--urls", "http://127.0.0.1:0", "--Server:DataFolder", data.Path);

        var steps = new[]
        {
            $"First start: creating the database in {data.Path}", "Seeded the demo tenant", "Warming up the rule sandbox", "Ready: tenant demo's console is at /demo/admin",
            "Now listening on: http://127.0.0.1:",
        };
        var positions = steps.Select(step => output.IndexOf(step, StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(positions, Has.None.EqualTo(-1), output + error);
            Assert.That(positions, Is.Ordered, "in the order they happen");
        });
    }
}
