using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Engine.Testing;

namespace RulesMfa.Host.Cli;

/// <summary>Reads the files and values the CLI verbs take, with errors that name the file and the problem.</summary>
internal static class CliInputs
{
    public static LoginContext ReadLogin(string path)
    {
        try
        {
            return LoginContext.FromRulesView(ReadJson(path));
        }
        catch (LoginContextFormatException exception)
        {
            throw new CliInputException($"{path}: {exception.Message}");
        }
    }

    public static IReadOnlyDictionary<string, string> ReadConfiguration(string? path)
    {
        if (path is null)
        {
            return new Dictionary<string, string>();
        }

        try
        {
            return RuleTestFile.ReadConfiguration(path, ReadJson(path) ?? new JsonObject());
        }
        catch (RuleTestFormatException exception)
        {
            throw new CliInputException(exception.Message);
        }
    }

    public static DateTimeOffset? ReadNow(string? text) => text is null
        ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now)
            ? now
            : throw new CliInputException($"--now '{text}' is not an ISO-8601 date and time, such as 2026-11-28T09:30:00Z");

    /// <summary>The default limits, with the rule time limit given in milliseconds (and the login's four times it, from 1 s to 60 s).</summary>
    public static SandboxLimits ReadLimits(int? ruleTimeoutMs)
    {
        var limits = new SandboxLimits();
        if (ruleTimeoutMs is not { } milliseconds)
        {
            return limits;
        }

        const int longest = 30_000;
        if (milliseconds is < 1 or > longest)
        {
            throw new CliInputException($"--rule-timeout {milliseconds}: give a number of milliseconds from 1 to {longest:N0}");
        }

        limits.RuleTimeout = TimeSpan.FromMilliseconds(milliseconds);
        limits.PipelineTimeout = TimeSpan.FromMilliseconds(Math.Clamp(milliseconds * 4L, 1_000, 60_000));
        return limits;
    }

    private static JsonNode? ReadJson(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (IOException exception)
        {
            throw new CliInputException($"{path}: {exception.Message}");
        }
        catch (JsonException exception)
        {
            throw new CliInputException($"{path}:{exception.LineNumber + 1}:{exception.BytePositionInLine + 1}: not valid JSON");
        }
    }
}
