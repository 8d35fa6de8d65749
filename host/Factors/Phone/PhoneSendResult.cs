namespace RulesMfa.Host.Factors.Phone;

/// <summary>What became of a message handed to a sender: a closed set.</summary>
public abstract record PhoneSendResult
{
    private PhoneSendResult()
    {
    }

    /// <summary>The sender took the message.</summary>
    public sealed record Sent : PhoneSendResult;

    /// <summary>The sender refused it or could not be reached; <paramref name="Reason"/> names no secret (<c>HTTP 503</c>, <c>timed out</c>).</summary>
    public sealed record Failed(string Reason) : PhoneSendResult;
}
