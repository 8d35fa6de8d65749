using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RulesMfa.Engine.Decisions;

/// <summary>The one JSON form of a decision: camelCase, every field present, enums as lower-case words.</summary>
public static class MfaDecisionJson
{
    /// <summary>Options for serializing decisions and their parts.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,

        // Decisions are read in terminals, logs and JSON APIs, never spliced into HTML: keep quotes and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The decision as a JSON document.</summary>
    public static string Serialize(MfaDecision decision, bool indented = false) =>
        JsonSerializer.Serialize(decision, indented ? IndentedOptions : Options);

    /// <summary>The decision as a JSON tree, for matching test expectations.</summary>
    public static JsonObject ToJsonObject(MfaDecision decision) =>
        JsonSerializer.SerializeToNode(decision, Options)!.AsObject();

    private static readonly JsonSerializerOptions IndentedOptions = new(Options) { WriteIndented = true };
}
