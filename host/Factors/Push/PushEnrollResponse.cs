using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>The answer of <c>POST {base_url}/api/enroll</c>: the enrollment, the device's bearer token, and its TOTP secret.</summary>
public sealed record PushEnrollResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("totp")] PushTotp Totp);
