namespace RulesMfa.Host.Factors.Phone;

/// <summary>How a code reaches a phone: <c>sms</c> (a text message) or <c>voice</c> (a call that reads it).</summary>
public enum PhoneChannel
{
    Sms,
    Voice,
}
