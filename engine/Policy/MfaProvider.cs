namespace RulesMfa.Engine.Policy;

/// <summary>The provider names rules give in <c>context.multifactor</c> or <c>api.multifactor.enable</c>, and the factors each allows.</summary>
public static class MfaProvider
{
    /// <summary>Every factor the tenant enables.</summary>
    public const string Any = "any";

    /// <summary>Auth0 Guardian: push, SMS or voice, OTP and email.</summary>
    public const string Guardian = "guardian";

    /// <summary>An authenticator app's one-time password.</summary>
    public const string GoogleAuthenticator = "google-authenticator";

    /// <summary>Duo Security's Universal Prompt (<see cref="FactorType.Duo"/>), with the tenant's Duo settings or the rule's own.</summary>
    public const string Duo = "duo";

    /// <summary>No MFA: the rules skip it, over the tenant's defaults.</summary>
    public const string None = "none";

    /// <summary>
    /// The factor types <paramref name="provider"/> allows, before the tenant's and the user's factors narrow them;
    /// null for a provider this server cannot serve (an unknown name) or for <see cref="None"/>.
    /// </summary>
    public static IReadOnlyList<string>? FactorsOf(string provider) => provider switch
    {
        Any => FactorType.BySecurity,
        Guardian => [FactorType.PushNotification, FactorType.Phone, FactorType.Otp, FactorType.Email],
        GoogleAuthenticator => [FactorType.Otp],
        Duo => [FactorType.Duo],
        _ => null,
    };
}
