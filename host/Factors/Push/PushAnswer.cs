namespace RulesMfa.Host.Factors.Push;

/// <summary>What a device's signed answer says, once verified: a closed set.</summary>
public abstract record PushAnswer
{
    private PushAnswer()
    {
    }

    /// <summary>Approved, with the right digits.</summary>
    public sealed record Approved : PushAnswer;

    /// <summary>Turned down by the device's user; <paramref name="Reason"/> as the device gave it.</summary>
    public sealed record Declined(string? Reason) : PushAnswer;

    /// <summary>
    /// Not accepted as an answer to this request: <paramref name="Error"/> is the code the device API answers with
    /// (<c>invalid_signature</c>, <c>expired_answer</c>, <c>wrong_transaction</c>, <c>wrong_digits</c>, …).
    /// </summary>
    public sealed record Refused(string Error, string Description) : PushAnswer;
}
