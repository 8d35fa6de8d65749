using System.Net;
using System.Net.Sockets;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary>
/// A PostgreSQL that does not answer (a real closed port): the server and every verb on the database say so in one line
/// naming the host, port and database, never the password, with no stack trace, and exit 2.
/// </summary>
[NonParallelizable]
public sealed class DatabaseUnreachableTests
{
    private const string Password = "pg-secret-7d1c";

    private Socket closed = null!;
    private int port;

    [OneTimeSetUp]
    public void HoldAClosedPort()
    {
        // Bound, never listening: connecting to it is refused at once, and no other process can take the port meanwhile.
        closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        port = ((IPEndPoint)closed.LocalEndPoint!).Port;
    }

    [OneTimeTearDown]
    public void Release() => closed.Dispose();

    private string ConnectionString => $"Host=127.0.0.1;Port={port};Database=rulesmfa_gone;Username=rulesmfa;Password={Password}";

    private string Expected => $"rulesmfa: cannot open the database 'rulesmfa_gone' on PostgreSQL 127.0.0.1:{port} (ConnectionStrings:RulesMfa): ";

    [Test]
    public async Task Serve_PostgreSqlRefusesConnections_OneLineNamingWhereAndExitTwo()
    {
        using var data = new TempFolder();

        var (exitCode, output, error) = await ServerProcess.RunAsync(until: "Now listening", "--urls", "http://127.0.0.1:0", "--Server:DataFolder", data.Path,
            "--Storage:Provider", "postgresql", "--ConnectionStrings:RulesMfa", ConnectionString);

        AssertOneLine(exitCode, output, error);
    }

    [TestCase("tenant", "create", "acme")]
    [TestCase("admin", "create", "--tenant", "acme", "--email", "root@acme.example", "--password-file", "PASSWORD-FILE")]
    [TestCase("client", "create", "--tenant", "acme", "--name", "web")]
    [TestCase("rule", "disable", "--tenant", "acme", "--rule", "010-mfa")]
    [TestCase("user", "reset-mfa", "--tenant", "acme", "--email", "someone@acme.example")]
    [TestCase("user", "forget-browsers", "--tenant", "acme", "--email", "someone@acme.example")]
    public async Task Verb_PostgreSqlRefusesConnections_OneLineNamingWhereAndExitTwo(params string[] verb)
    {
        using var data = new TempFolder();
        var passwordFile = Path.Combine(data.Path, "admin-password.txt");
        await File.WriteAllTextAsync(passwordFile, "a long enough admin password");

        var run = await CliProcess.RunAsync(
            new Dictionary<string, string> { ["Storage__Provider"] = "postgresql", ["ConnectionStrings__RulesMfa"] = ConnectionString, ["Server__DataFolder"] = data.Path },
            verb.Select(argument => argument == "PASSWORD-FILE" ? passwordFile : argument).ToArray());

        AssertOneLine(run.ExitCode, run.Output, run.Error);
    }

    private void AssertOneLine(int? exitCode, string output, string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2), $"{output}\n{error}");
            Assert.That(lines, Has.Length.EqualTo(1), error);
            Assert.That(lines.FirstOrDefault(), Does.StartWith(Expected).And.EndWith("Connection refused"));
            Assert.That(output + error, Does.Not.Contain(Password).And.Not.Contain("   at ").And.Not.Contain("Exception"));
        });
    }
}
