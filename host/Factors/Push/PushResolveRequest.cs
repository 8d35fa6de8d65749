using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>The body of <c>POST {base_url}/api/resolve-transaction</c>: the device's signed answer.</summary>
public sealed record PushResolveRequest([property: JsonPropertyName("challenge_response")] string? ChallengeResponse);
