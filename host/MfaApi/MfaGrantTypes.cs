namespace RulesMfa.Host.MfaApi;

/// <summary>Auth0's grant types this server answers besides the standard ones, and the scopes of its MFA API.</summary>
public static class MfaGrantTypes
{
    /// <summary>The password grant with a connection named in <c>realm</c>.</summary>
    public const string PasswordRealm = "http://auth0.com/oauth/grant-type/password-realm";

    /// <summary>Completes an <c>mfa_token</c>'s login with an authenticator app's code (<c>otp</c>).</summary>
    public const string Otp = "http://auth0.com/oauth/grant-type/mfa-otp";

    /// <summary>Completes it with an out-of-band code (<c>oob_code</c>, and the <c>binding_code</c> the user received).</summary>
    public const string Oob = "http://auth0.com/oauth/grant-type/mfa-oob";

    /// <summary>Completes it with the recovery code (<c>recovery_code</c>); the answer carries the new one.</summary>
    public const string RecoveryCode = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

    /// <summary>The grants that complete an <c>mfa_token</c>'s login.</summary>
    public static IReadOnlyList<string> Mfa { get; } = [Otp, Oob, RecoveryCode];

    /// <summary>The scope that lets an access token of the MFA API's audience add an authenticator.</summary>
    public const string EnrollScope = "enroll";

    /// <summary>The scope that lets it list the user's authenticators.</summary>
    public const string ReadScope = "read:authenticators";

    /// <summary>The scope that lets it remove one.</summary>
    public const string RemoveScope = "remove:authenticators";

    public static IReadOnlyList<string> Scopes { get; } = [EnrollScope, ReadScope, RemoveScope];

    /// <summary>The <c>authenticator_type</c> whose secret a grant checks: <c>otp</c>, <c>oob</c> or <c>recovery-code</c>.</summary>
    public static string? AuthenticatorTypeOf(string? grantType) => grantType switch
    {
        Otp => "otp",
        Oob => "oob",
        RecoveryCode => "recovery-code",
        _ => null,
    };
}
