using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Oidc;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// The tokens a password or MFA grant issues: those of the hosted pages (<see cref="TokenPrincipal"/>: <c>amr</c>,
/// <c>acr</c>, <c>auth_time</c>, the rules' claims); for the MFA API's audience, an access token of that audience that
/// lives 10 minutes; and a new recovery code when one was used up.
/// </summary>
public static class GrantTokens
{
    /// <summary>The token response's field for the recovery code that replaces a used one.</summary>
    public const string RecoveryCodeParameter = "recovery_code";

    /// <summary>A recovery code as Auth0 sends it: 24 characters, without the dashes the pages show for reading.</summary>
    public static string Wire(string recoveryCode) => recoveryCode.Replace("-", "", StringComparison.Ordinal);

    public static IResult SignIn(
        UserRecord user, LoginSession session, IReadOnlyList<string> scopes, JsonObject idTokenClaims, JsonObject accessTokenClaims, string? audience,
        string? newRecoveryCode = null)
    {
        var principal = TokenPrincipal.Create(user, session, scopes, idTokenClaims, accessTokenClaims);
        if (audience is not null)
        {
            principal.SetAudiences(audience);
            principal.SetAccessTokenLifetime(MfaAudience.TokenLifetime);
        }

        var properties = new AuthenticationProperties();
        if (newRecoveryCode is not null)
        {
            properties.Parameters[RecoveryCodeParameter] = Wire(newRecoveryCode);
        }

        return Results.SignIn(principal, properties, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
