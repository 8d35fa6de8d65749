namespace RulesMfa.Host.Factors.Phone;

/// <summary>A way phone messages leave the server (<see cref="PhoneSenderKind"/>). Sending never throws: a failure is a result.</summary>
public interface IPhoneSender
{
    /// <summary>The sender's name in audit events: <c>outbox</c>, <c>twilio</c>, <c>webhook</c>.</summary>
    string Name { get; }

    Task<PhoneSendResult> SendAsync(PhoneMessage message, CancellationToken cancellationToken);
}
