using System.Text.RegularExpressions;
using RulesMfa.Load;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Load;

/// <summary>The load generator (tests/RulesMfa.Load) for two seconds per scenario against the real server: it sets up, runs and reports each step.</summary>
[NonParallelizable]
public sealed class LoadGeneratorTests
{
    [Test]
    public async Task Run_ShortAgainstARealServer_ReportsEveryStepWithoutErrors()
    {
        await using var server = await RulesMfaServer.StartAsync("--Metrics:Enabled", "true");
        var output = new StringWriter();
        var progress = new StringWriter();

        // A TOTP code is single use per user and 30 s step: the login scenario may use up to about 50 users' steps in its
        // 2 s on a quiet machine, so 96 users leave the verify scenario some whatever the clock.
        var exit = await LoadProgram.RunAsync(
            ["--server", server.BaseUrl, "--data-folder", server.DataFolder, "--duration", "2", "--concurrency", "2", "--users", "96", "--server-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--rules", Path.Combine(RepositoryPaths.Samples, "070-mfa-for-admins.js")], output, progress);

        var report = output.ToString();
        var steps = StepsByScenario(report);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), $"{report}\n{progress}");
            Assert.That(report, Does.Contain("96 users").And.Contain("1 rules"), "the set-up");
            Assert.That(steps.Keys, Is.EquivalentTo(new[] { "login", "refresh", "verify" }), report);
            Assert.That(steps.GetValueOrDefault("login")?.Select(row => row[1]), Is.EquivalentTo(new[] { "authorize", "password", "mfa-verify", "login" }), report);
            Assert.That(steps.GetValueOrDefault("refresh")?.Select(row => row[1]), Is.EquivalentTo(new[] { "refresh" }), report);
            Assert.That(steps.GetValueOrDefault("verify")?.Select(row => row[1]), Is.EquivalentTo(new[] { "mfa-check" }), report);
            Assert.That(steps.Values.SelectMany(rows => rows).Select(row => int.Parse(row[2])), Has.All.GreaterThan(0), $"every step ran: {report}");
            Assert.That(steps.Values.SelectMany(rows => rows).Select(row => row[7]), Has.All.EqualTo("0"), $"no step failed: {report}");
            Assert.That(Regex.Matches(report, @"^server CPU: \d+\.\d ms per (login|refresh|mfa-check) ", RegexOptions.Multiline), Has.Count.EqualTo(3), report);
            Assert.That(Regex.Matches(report, @"^machine CPU: \d+\.\d ms per (login|refresh|mfa-check), every process \(.* on \d+ cores\): at most \d+ per second here$", RegexOptions.Multiline),
                Has.Count.EqualTo(3), report);
            Assert.That(Regex.Matches(report, @"^rules at the server: \d+\.\d\d ms per (login|refresh), \d+\.\d % of the server CPU \((1\.00|2\.00) runs", RegexOptions.Multiline)
                .Select(line => line.Groups[1].Value), Is.EquivalentTo(new[] { "login", "refresh" }), $"the rules' time from /metrics: {report}");
            Assert.That(progress.ToString(), Does.Contain("login [").And.Contain("refresh [").And.Contain("verify ["), "a progress line while it runs");
        });
    }

    [Test]
    public async Task Run_WithoutMfa_LogsInWithThePasswordAlone()
    {
        await using var server = await RulesMfaServer.StartAsync();
        var output = new StringWriter();
        var progress = new StringWriter();

        var exit = await LoadProgram.RunAsync(
            ["--server", server.BaseUrl, "--data-folder", server.DataFolder, "--duration", "2", "--concurrency", "2", "--users", "8", "--no-mfa"], output, progress);

        var report = output.ToString();
        var steps = StepsByScenario(report);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), $"{report}\n{progress}");
            Assert.That(steps.Keys, Is.EquivalentTo(new[] { "login", "refresh" }), report);
            Assert.That(steps.GetValueOrDefault("login")?.Select(row => row[1]), Is.EquivalentTo(new[] { "authorize", "password", "login" }), report);
            Assert.That(steps.Values.SelectMany(rows => rows).Select(row => int.Parse(row[2])), Has.All.GreaterThan(0), $"every step ran: {report}");
            Assert.That(steps.Values.SelectMany(rows => rows).Select(row => row[7]), Has.All.EqualTo("0"), $"no step failed: {report}");
        });
    }

    [Test]
    public async Task Run_WithoutMfa_RefusesTheVerifyScenario()
    {
        var progress = new StringWriter();

        var exit = await LoadProgram.RunAsync(
            ["--server", "http://127.0.0.1:9", "--data-folder", Path.GetTempPath(), "--no-mfa", "--scenario", "verify"], new StringWriter(), progress);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(progress.ToString(), Does.Contain("--no-mfa has no verify scenario (no user enrolls)"));
        });
    }

    /// <summary>The table rows (cells split) under each "scenario NAME:" line of the report.</summary>
    private static Dictionary<string, List<string[]>> StepsByScenario(string report)
    {
        var scenarios = new Dictionary<string, List<string[]>>();
        List<string[]>? current = null;
        foreach (var line in report.Split('\n'))
        {
            if (line.StartsWith("scenario ", StringComparison.Ordinal))
            {
                scenarios[line["scenario ".Length..line.IndexOf(':', StringComparison.Ordinal)]] = current = [];
            }
            else if (current is not null && line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| step", StringComparison.Ordinal))
            {
                current.Add(line.Split('|', StringSplitOptions.TrimEntries));
            }
        }

        return scenarios;
    }
}
