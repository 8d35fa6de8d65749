using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>Every refusal of the device API: a code to compare and a sentence to read.</summary>
public sealed record PushApiError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
