using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>The TOTP a push device also gets, for codes when it is offline.</summary>
public sealed record PushTotp(
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("digits")] int Digits,
    [property: JsonPropertyName("period")] int Period);
