namespace RulesMfa.Engine.Policy;

/// <summary>
/// The factor types in Actions' spelling, and their security ranking. Plans list factors most secure first;
/// a recovery code is never a normal choice, only the "lost your device" way out next to another factor.
/// </summary>
public static class FactorType
{
    /// <summary>A roaming authenticator (security key) over WebAuthn.</summary>
    public const string WebAuthnRoaming = "webauthn-roaming";

    /// <summary>A platform authenticator (Windows Hello, Touch ID) over WebAuthn.</summary>
    public const string WebAuthnPlatform = "webauthn-platform";

    /// <summary>A push notification to an enrolled app.</summary>
    public const string PushNotification = "push-notification";

    /// <summary>A one-time password from an authenticator app (TOTP).</summary>
    public const string Otp = "otp";

    /// <summary>A one-time code by SMS or voice call.</summary>
    public const string Phone = "phone";

    /// <summary>A one-time code by email.</summary>
    public const string Email = "email";

    /// <summary>A single-use recovery code, issued by the host at the first enrollment.</summary>
    public const string RecoveryCode = "recovery-code";

    /// <summary>The factors that may be offered as a choice, most secure first. Excludes <see cref="RecoveryCode"/>.</summary>
    public static IReadOnlyList<string> BySecurity { get; } = [WebAuthnRoaming, WebAuthnPlatform, PushNotification, Otp, Phone, Email];

    /// <summary>
    /// The offerable factors among <paramref name="types"/>, once each, most secure first. Recovery codes and
    /// unknown names are left out.
    /// </summary>
    public static IReadOnlyList<string> OfferableBySecurity(IEnumerable<string> types)
    {
        var wanted = types.ToHashSet(StringComparer.Ordinal);
        return BySecurity.Where(wanted.Contains).ToList();
    }
}
