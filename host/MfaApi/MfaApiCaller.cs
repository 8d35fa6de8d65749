using RulesMfa.Host.Storage;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// Who calls an MFA endpoint: the login of an <c>mfa_token</c>, or a user with an access token of the MFA API's audience
/// (<see cref="AccessToken"/> set), its scopes, and whether that token's sign-in did MFA.
/// </summary>
public sealed record MfaApiCaller(UserRecord User, string ClientId, OpenMfaLogin? Login, IReadOnlyList<string> Scopes, bool DidMfa)
{
    /// <summary>The access token, when the caller sent one rather than an <c>mfa_token</c>.</summary>
    public string? AccessToken { get; init; }

    /// <summary>When the access token expires.</summary>
    public DateTimeOffset? AccessTokenExpiresAt { get; init; }

    /// <summary>An <c>mfa_token</c> may read the authenticators; an access token needs <paramref name="scope"/>.</summary>
    public bool May(string scope) => Login is not null || Scopes.Contains(scope);
}
