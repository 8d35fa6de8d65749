namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// What the phone factor's parts show: whether a code was just sent (then the code form) and by which channel, the masked
/// number (or, while enrolling, the number as typed), and the channels the user may pick from.
/// </summary>
public sealed record PhoneView(bool CodeSent, PhoneChannel? SentBy, string? Number, IReadOnlyList<PhoneChannel> Channels);
