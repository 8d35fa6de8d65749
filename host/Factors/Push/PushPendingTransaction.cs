using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// A push request as the device receives it (what Guardian's notification carries, plus the same in words): the
/// request's id, its token <c>txtkn</c> (the bearer of the resolve call), the challenge <c>c</c>, the enrollment
/// <c>dai</c>, the server <c>sh</c>, the date <c>d</c>, and what a phone shows: application, IP, location.
/// The digits to match are not here: the user reads them on the sign-in page.
/// </summary>
public sealed record PushPendingTransaction(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("txtkn")] string TransactionToken,
    [property: JsonPropertyName("c")] string Challenge,
    [property: JsonPropertyName("dai")] string EnrollmentId,
    [property: JsonPropertyName("sh")] string Server,
    [property: JsonPropertyName("d")] DateTimeOffset Date,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("application")] string Application,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("location")] string Location);
