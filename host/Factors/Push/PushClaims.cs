namespace RulesMfa.Host.Factors.Push;

/// <summary>The claims of a device's answer (<c>challenge_response</c>), besides <c>sub</c>, <c>iss</c>, <c>aud</c>, <c>iat</c> and <c>exp</c>.</summary>
public static class PushClaims
{
    /// <summary>Always <c>push</c>.</summary>
    public const string Method = "auth0_guardian_method";

    /// <summary><c>true</c> to approve, <c>false</c> to turn down.</summary>
    public const string Accepted = "auth0_guardian_accepted";

    /// <summary>Why it was turned down, optional (<c>fraud</c>, <c>mistake</c>).</summary>
    public const string Reason = "auth0_guardian_reason";

    /// <summary>The two digits the user read on the sign-in page and typed on the device; required to approve.</summary>
    public const string Digits = "rulesmfa_digits";

    /// <summary>The longest an answer may live: <c>exp</c> at most 30 seconds after <c>iat</c>.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(30);

    /// <summary>The path of the resolve call under <c>base_url</c>; the answers' <c>aud</c> is the full URL.</summary>
    public const string ResolvePath = "/api/resolve-transaction";
}
