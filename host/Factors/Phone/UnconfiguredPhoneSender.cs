namespace RulesMfa.Host.Factors.Phone;

/// <summary>A sender chosen without what it needs (its secret, its URL): every send fails, and says why.</summary>
public sealed class UnconfiguredPhoneSender(string name) : IPhoneSender
{
    public string Name => name;

    public Task<PhoneSendResult> SendAsync(PhoneMessage message, CancellationToken cancellationToken) =>
        Task.FromResult<PhoneSendResult>(new PhoneSendResult.Failed("the sender is not configured (its secret or URL is missing)"));
}
