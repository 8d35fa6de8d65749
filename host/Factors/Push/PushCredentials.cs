using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>Where a push service reaches the device (<c>{service: "APNS"|"GCM"|"FCM", token}</c>): stored for a relay, unused here.</summary>
public sealed record PushCredentials(
    [property: JsonPropertyName("service")] string? Service,
    [property: JsonPropertyName("token")] string? Token);
