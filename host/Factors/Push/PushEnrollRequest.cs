using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>The body of <c>POST {base_url}/api/enroll</c>.</summary>
public sealed record PushEnrollRequest(
    [property: JsonPropertyName("identifier")] string? Identifier,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("push_credentials")] PushCredentials? PushCredentials,
    [property: JsonPropertyName("public_key")] PushPublicKey? PublicKey);
