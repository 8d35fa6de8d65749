using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;

namespace RulesMfa.Engine.Testing;

/// <summary>
/// A <c>*.test.json</c> file: <c>{"rules"?: [...], "configuration"?: {...}, "now"?: ISO-8601, "cases": [...]}</c>.
/// <c>X.test.json</c> tests <c>X.js</c> unless it names <c>rules</c> (paths relative to the test file).
/// </summary>
public sealed record RuleTestFile(
    string Path,
    IReadOnlyList<string> RulePaths,
    IReadOnlyDictionary<string, string> Configuration,
    DateTimeOffset? Now,
    IReadOnlyList<RuleTestCase> Cases)
{
    /// <summary>The suffix that marks a test file.</summary>
    public const string Suffix = ".test.json";

    /// <summary>Finds test files: each path is a test file or a folder searched recursively, in ordinal path order.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> paths) => paths.SelectMany(FindIn).ToList();

    private static IEnumerable<string> FindIn(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.GetFiles(path, "*" + Suffix, SearchOption.AllDirectories).OrderBy(file => file, StringComparer.Ordinal);
        }

        return File.Exists(path) ? [path] : throw new FileNotFoundException($"test path '{path}' does not exist", path);
    }

    /// <summary>Reads and checks one test file.</summary>
    /// <exception cref="RuleTestFormatException">The file is not valid JSON or a field has the wrong shape.</exception>
    public static RuleTestFile Load(string path)
    {
        var root = ParseRoot(path, File.ReadAllText(path));
        var folder = System.IO.Path.GetDirectoryName(path) ?? ".";
        var rulePaths = root["rules"] switch
        {
            null => [System.IO.Path.Combine(folder, System.IO.Path.GetFileName(path)[..^Suffix.Length] + ".js")],
            JsonArray rules => rules.Select((rule, index) => System.IO.Path.Combine(folder, Text(path, rule, $"rules[{index}]"))).ToList(),
            _ => throw Error(path, "\"rules\" must be an array of paths"),
        };
        return Read(path, root, rulePaths);
    }

    /// <summary>
    /// Reads the test cases stored with one rule (the file's shape without <c>rules</c>: they test that rule alone).
    /// <paramref name="label"/> names them in errors and results.
    /// </summary>
    /// <exception cref="RuleTestFormatException">The text is not valid JSON or a field has the wrong shape.</exception>
    public static RuleTestFile Parse(string label, string json)
    {
        var root = ParseRoot(label, json);
        return root["rules"] is null ? Read(label, root, []) : throw Error(label, "tests stored with a rule test that rule alone: remove \"rules\"");
    }

    private static JsonObject ParseRoot(string path, string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw Error(path, "the file must hold a JSON object");
        }
        catch (JsonException exception)
        {
            throw Error(path, $"not valid JSON at line {exception.LineNumber + 1}: {exception.Message}");
        }
    }

    private static RuleTestFile Read(string path, JsonObject root, IReadOnlyList<string> rulePaths)
    {
        var cases = root["cases"] as JsonArray ?? throw Error(path, "\"cases\" must be an array");
        return new RuleTestFile(
            path,
            rulePaths,
            ReadConfiguration(path, root["configuration"]),
            ReadNow(path, root["now"], "now"),
            cases.Select((testCase, index) => ReadCase(path, testCase, $"cases[{index}]")).ToList());
    }

    /// <summary>Reads a JSON object of strings, as <c>--configuration</c> and a test file's <c>configuration</c> hold.</summary>
    public static IReadOnlyDictionary<string, string> ReadConfiguration(string file, JsonNode? node)
    {
        if (node is null)
        {
            return new Dictionary<string, string>();
        }

        var configuration = node as JsonObject ?? throw Error(file, "\"configuration\" must be an object of strings");
        return configuration.ToDictionary(pair => pair.Key, pair => Text(file, pair.Value, $"configuration.{pair.Key}"));
    }

    private static RuleTestCase ReadCase(string file, JsonNode? node, string where)
    {
        var testCase = node as JsonObject ?? throw Error(file, $"{where} must be an object");
        var name = Text(file, testCase["name"], $"{where}.name");
        var expect = testCase["expect"] as JsonObject ?? throw Error(file, $"{where}.expect must be an object of decision fields");
        try
        {
            var login = LoginContext.FromRulesView(new JsonObject { ["user"] = testCase["user"]?.DeepClone(), ["context"] = testCase["context"]?.DeepClone() });
            return new RuleTestCase(name, login, ReadNow(file, testCase["now"], $"{where}.now"), expect);
        }
        catch (LoginContextFormatException exception)
        {
            throw Error(file, $"{where}: {exception.Message}");
        }
    }

    private static DateTimeOffset? ReadNow(string file, JsonNode? node, string where) => node is null
        ? null
        : DateTimeOffset.TryParse(Text(file, node, where), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now)
            ? now
            : throw Error(file, $"{where} must be an ISO-8601 date and time, such as 2026-11-28T09:30:00Z");

    private static string Text(string file, JsonNode? node, string where) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : throw Error(file, $"{where} must be a string");

    private static RuleTestFormatException Error(string file, string message) => new($"{file}: {message}");
}
