namespace RulesMfa.Host.Factors.Push;

/// <summary>The states of a push request, as the sign-in page's poll reads them.</summary>
public static class PushTransactionState
{
    /// <summary>Waiting for the device.</summary>
    public const string Pending = "pending";

    /// <summary>The device approved it with the right digits; the sign-in page may use it once.</summary>
    public const string Accepted = "accepted";

    /// <summary>The device's user turned it down.</summary>
    public const string Rejected = "rejected";

    /// <summary>The device approved it with the wrong digits: it is over, so digits cannot be guessed twice on one request.</summary>
    public const string WrongDigits = "wrong-digits";

    /// <summary>The sign-in page used the approval.</summary>
    public const string Used = "used";

    /// <summary>Nobody answered within <see cref="PushTransactions.Lifetime"/> (computed, never stored).</summary>
    public const string Expired = "expired";
}
