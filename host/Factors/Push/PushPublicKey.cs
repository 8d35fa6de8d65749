using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>A device's public key as it enrolls it: an RSA JWK (RFC 7517) for RS256 signatures.</summary>
public sealed record PushPublicKey(
    [property: JsonPropertyName("kty")] string? Kty,
    [property: JsonPropertyName("use")] string? Use,
    [property: JsonPropertyName("alg")] string? Alg,
    [property: JsonPropertyName("n")] string? N,
    [property: JsonPropertyName("e")] string? E);
