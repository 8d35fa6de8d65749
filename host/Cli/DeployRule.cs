using System.Text.Json.Nodes;

namespace RulesMfa.Host.Cli;

/// <summary>One rule of a deploy folder: <c>X.js</c> and the test cases stored with it (from <c>X.test.json</c>).</summary>
internal sealed record DeployRule(string Id, string FilePath, string Source, JsonObject Tests, string? TestsNote);
