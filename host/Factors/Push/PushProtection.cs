namespace RulesMfa.Host.Factors.Push;

/// <summary>The Data Protection purposes of the push factor.</summary>
internal static class PushProtection
{
    /// <summary>Devices' TOTP secrets at rest.</summary>
    public const string TotpSecret = "RulesMfa.Push.Totp";

    /// <summary>The transaction tokens (<c>txtkn</c>) the device answers with: a request's id, sealed until it expires.</summary>
    public const string TransactionToken = "RulesMfa.Push.TransactionToken";

    /// <summary>The sign-in and enrollment pages' state tokens (what their polls send), time-limited.</summary>
    public const string PageState = "RulesMfa.Push.PageState";
}
