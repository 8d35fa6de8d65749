namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// One message to send: the number (E.164), the channel, why (<see cref="PhoneMessageAction"/>), the code and the text the
/// tenant's template made of it. The code is here for gateways that speak it their own way; no log line carries it.
/// </summary>
public sealed record PhoneMessage(string Recipient, PhoneChannel Channel, PhoneMessageAction Action, string Code, string Text)
{
    /// <summary>Never prints the code, the text or the whole number, should a message end up in a log or an exception.</summary>
    public override string ToString() => $"a {PhoneWords.Of(Channel)} code {PhoneWords.Of(Action)} for {E164Numbers.Mask(Recipient)}";
}
