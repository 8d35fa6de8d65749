using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
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
