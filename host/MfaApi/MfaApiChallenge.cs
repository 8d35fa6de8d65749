namespace RulesMfa.Host.MfaApi;

/// <summary>What a factor made of <c>POST /mfa/challenge</c>: a closed set.</summary>
public abstract record MfaApiChallenge
{
    private MfaApiChallenge()
    {
    }

    /// <summary>
    /// The user can answer: with the code they have (<paramref name="Oob"/> false), or, out of band, with the code just sent
    /// (<paramref name="BindingMethod"/> <c>prompt</c>) or a push they approve (no binding method) on a device that asks for
    /// <paramref name="DigitsToMatch"/>, which the app shows (<c>rulesmfa_digits</c>, not Auth0's: Auth0 does no number matching here).
    /// </summary>
    public sealed record Ready(bool Oob, string? BindingMethod, string? DigitsToMatch = null) : MfaApiChallenge;

    /// <summary>Nothing was sent; <paramref name="Description"/> says why.</summary>
    public sealed record Refused(string Description, bool TooMany = false) : MfaApiChallenge;
}
