namespace RulesMfa.Host.Factors.Push;

/// <summary>A device's answer to a request: the request and device it named (null when unknown) and what the answer said.</summary>
public sealed record PushResolution(PushTransactionRecord? Transaction, PushDeviceRecord? Device, PushAnswer Answer);
