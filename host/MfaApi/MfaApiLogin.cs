using System.Text.Json;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// A login waiting for MFA through the MFA API, kept in the database under its <c>mfa_token</c>: the same
/// <see cref="MfaTransaction"/> the hosted pages keep in their cookie (the step, its factors, the rules' claims), the session
/// the password began, and what the tokens will be (scopes, audience).
/// </summary>
/// <param name="Transaction">The step, its factors and the rules' decision.</param>
/// <param name="Session">The session the password (or the refresh token) began; MFA adds to its methods.</param>
/// <param name="Scopes">The scopes the tokens will carry.</param>
/// <param name="Audience">The audience of the access token: the MFA API's (<see cref="MfaAudience"/>), or null for the usual one.</param>
public sealed record MfaApiLogin(MfaTransaction Transaction, LoginSession Session, IReadOnlyList<string> Scopes, string? Audience)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The out-of-band code this transaction handed out last (<c>associate</c> or <c>challenge</c>), if any.</summary>
    public MfaApiOob? Oob { get; init; }

    /// <summary>
    /// The hash of the recovery code <c>associate</c> showed at a first enrollment: it becomes the user's recovery code only
    /// when that enrollment is confirmed, so an enrollment left unconfirmed leaves no recovery code behind.
    /// </summary>
    public string? PendingRecoveryCodeHash { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MfaApiLogin FromJson(string json) => JsonSerializer.Deserialize<MfaApiLogin>(json, Json)
        ?? throw new JsonException("An MFA API transaction is empty.");
}

/// <summary>
/// An <c>oob_code</c> handed out: its hash, the factor it belongs to, whether it confirms an enrollment, its binding method
/// (<c>prompt</c>: the grant needs the <c>binding_code</c>), and when the client last polled it (a push), for <c>slow_down</c>.
/// </summary>
public sealed record MfaApiOob(string CodeHash, string Factor, bool Enrolling, string? BindingMethod, DateTimeOffset? LastPolledAt = null);
