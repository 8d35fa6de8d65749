namespace RulesMfa.Host.Factors.Push;

/// <summary>What became of sending a push request: a closed set.</summary>
public abstract record PushSend
{
    private PushSend()
    {
    }

    /// <summary>Sent to <paramref name="Device"/>: it waits for the device's answer.</summary>
    public sealed record Sent(PushTransactionRecord Transaction, PushDeviceRecord Device) : PushSend;

    /// <summary>The user sent too many requests; the next one is allowed at <paramref name="RetryAt"/>.</summary>
    public sealed record TooMany(DateTimeOffset RetryAt) : PushSend;

    /// <summary>The user has no confirmed push device.</summary>
    public sealed record NoDevice : PushSend;
}
