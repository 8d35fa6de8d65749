using System.Text.Json;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Testing;

namespace RulesMfa.Host.Cli;

/// <summary>
/// A folder to deploy: its <c>*.js</c> files (not sub-folders) in ordinal file-name order, each with its
/// <c>X.test.json</c>. A test file that names <c>"rules"</c> tests a set of rules together: it runs locally before the
/// upload but is not stored with a rule (the server runs a rule's stored cases against that rule alone); such a
/// rule, and a rule without a test file, is stored with no test cases: the folder is what the server keeps.
/// </summary>
internal static class DeployFolder
{
    /// <exception cref="CliInputException">The folder does not exist, holds no rule, or a test file is not a JSON object.</exception>
    public static IReadOnlyList<DeployRule> Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CliInputException($"rulesmfa: rules folder '{folder}' does not exist");
        }

        var files = Directory.GetFiles(folder, "*.js").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new CliInputException($"rulesmfa: rules folder '{folder}' holds no *.js rule");
        }

        return files.Select(file =>
        {
            var id = Path.GetFileNameWithoutExtension(file);
            var testFile = Path.Combine(folder, id + RuleTestFile.Suffix);
            var (tests, note) = File.Exists(testFile) ? StoredTests(testFile) : (NoCases(), "no test file: stored with no test cases");
            return new DeployRule(id, file, File.ReadAllText(file), tests, note);
        }).ToList();
    }

    private static (JsonObject Tests, string? Note) StoredTests(string testFile)
    {
        JsonObject tests;
        try
        {
            tests = JsonNode.Parse(File.ReadAllText(testFile)) as JsonObject ?? throw new CliInputException($"{testFile}: the file must hold a JSON object");
        }
        catch (JsonException exception)
        {
            throw new CliInputException($"{testFile}:{exception.LineNumber + 1}:{exception.BytePositionInLine + 1}: not valid JSON");
        }

        return tests.ContainsKey("rules")
            ? (NoCases(), $"{Path.GetFileName(testFile)} names \"rules\": run locally only, stored with no test cases")
            : (tests, null);
    }

    private static JsonObject NoCases() => new() { ["cases"] = new JsonArray() };
}
