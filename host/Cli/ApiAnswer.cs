using System.Text.Json.Nodes;

namespace RulesMfa.Host.Cli;

/// <summary>An admin API response: its status and JSON body (problem details when refused).</summary>
internal sealed record ApiAnswer(int Status, JsonNode? Body);
