using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// <c>dotnet rulesmfa.dll eval --rules evil.js normal-rule.js normal-action.js --context login.json --json</c> in a
/// child process: the process must exit 0 (not be killed) and print one JSON decision.
/// </summary>
internal static class HostileCli
{
    // A guard against a hung child, not a measure of speed: the attacks here end well within a few seconds.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static MfaDecision Evaluate(string evilSource, LoginContext login, TimeSpan? ruleTimeout = null)
    {
        using var folder = new TempFolder();
        var arguments = new[]
        {
            Path.Combine(TestContext.CurrentContext.TestDirectory, "rulesmfa.dll"), "eval",
            "--rules", folder.Write($"{HostileAttack.Id}.js", evilSource), folder.Write("normal-rule.js", HostileAttack.NormalRule),
            folder.Write("normal-action.js", HostileAttack.NormalAction),
            "--context", folder.Write("login.json", new JsonObject { ["user"] = login.User.DeepClone(), ["context"] = login.Context.DeepClone() }.ToJsonString()),
            "--configuration", folder.Write("configuration.json", JsonSerializer.Serialize(HostileAttack.MalloryConfiguration)),
            "--now", Some.Now.ToString("O"), "--json",
        };
        if (ruleTimeout is { } timeout)
        {
            arguments = [.. arguments, "--rule-timeout", ((int)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)];
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"the CLI was still running after {Patience}; it was killed");
        }

        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), $"the CLI must evaluate the rules and exit 0, not be killed; stderr: {error.Result}");
        return JsonSerializer.Deserialize<MfaDecision>(output.Result, MfaDecisionJson.Options)
            ?? throw new AssertionException($"the CLI printed no decision: {output.Result}");
    }
}
