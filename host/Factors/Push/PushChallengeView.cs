namespace RulesMfa.Host.Factors.Push;

/// <summary>What the push challenge shows: the request's state, the digits to match, and what the page polls with.</summary>
/// <param name="State">A <see cref="PushTransactionState"/>, or <c>none</c> when no request could be sent.</param>
/// <param name="Notice">Why no request is waiting (too many sent, no device), or null.</param>
public sealed record PushChallengeView(string State, string? Digits, string? StateToken, string? DeviceName, string? Application, string? Notice);
