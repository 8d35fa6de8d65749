namespace RulesMfa.Engine.Policy;

/// <summary>
/// The one vocabulary of factor types, in Auth0's (Actions') spelling: the names rules use, the tenant settings list and
/// the host's factors register under, with their security ranking and the words users see for each. Plans list factors
/// most secure first; a recovery code is never a normal choice, only the "lost your device" way out next to another factor.
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

    /// <summary>
    /// Duo Security's Universal Prompt: Duo holds the user's devices and enrolls them itself. Offered only as a tenant's
    /// only factor (as at Auth0), so its place in the ranking below only orders lists.
    /// </summary>
    public const string Duo = "duo";

    /// <summary>A single-use recovery code, issued by the host at the first enrollment.</summary>
    public const string RecoveryCode = "recovery-code";

    /// <summary>Every type, most secure first, the recovery code last.</summary>
    public static IReadOnlyList<string> All { get; } = [WebAuthnRoaming, WebAuthnPlatform, PushNotification, Otp, Phone, Email, Duo, RecoveryCode];

    /// <summary>The factors that may be offered as a choice, most secure first. Excludes <see cref="RecoveryCode"/>.</summary>
    public static IReadOnlyList<string> BySecurity { get; } = [WebAuthnRoaming, WebAuthnPlatform, PushNotification, Otp, Phone, Email, Duo];

    /// <summary>
    /// True for a factor a user may hold several of (security keys, each named by its owner): a rule demanding its
    /// enrollment adds another one, after a factor the user has.
    /// </summary>
    public static bool AllowsSeveral(string type) => type == WebAuthnRoaming;

    /// <summary>True for a known factor type.</summary>
    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);

    /// <summary>
    /// What users read for <paramref name="type"/> ("Security key"), so that no page or message shows a raw type; an
    /// unknown name is shown as "an unknown method".
    /// </summary>
    public static string DisplayNameOf(string type) => type switch
    {
        WebAuthnRoaming => "Security key",
        WebAuthnPlatform => "This device's fingerprint or face",
        PushNotification => "Push notification",
        Otp => "Authenticator app",
        Phone => "Text message or voice call",
        Email => "Email",
        Duo => "Duo",
        RecoveryCode => "Recovery code",
        _ => "An unknown method",
    };

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
