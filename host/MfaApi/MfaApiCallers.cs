using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// Identifies the caller of an MFA endpoint from its <c>Authorization: Bearer</c> token: an <c>mfa_token</c> of this tenant
/// (<see cref="MfaLogins"/>), or an access token this server issued for the MFA API's audience (<see cref="MfaAudience"/>) to
/// a user of this tenant. Refusals are 401, in Auth0's words.
/// </summary>
public sealed class MfaApiCallers(RulesMfaDbContext database, MfaLogins logins)
{
    public async Task<(MfaApiCaller? Caller, IResult? Refusal)> IdentifyAsync(HttpContext http, string? clientId)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
        if (bearer.Length == 0)
        {
            return (null, MfaApiErrors.Error(StatusCodes.Status401Unauthorized, "unauthorized", "Send the mfa_token or an access token as 'Authorization: Bearer ...'."));
        }

        if (!bearer.Contains('.', StringComparison.Ordinal))
        {
            var (login, refusal) = await logins.OpenAsync(http, bearer, clientId, StatusCodes.Status401Unauthorized);
            return login is null ? (null, refusal) : (new MfaApiCaller(login.User, login.Record.ClientId, login, [], DidMfa: false), null);
        }

        var result = await http.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal;
        var tenant = TenantContext.Required(http).Id;
        var userId = principal?.GetClaim(Claims.Subject);
        var user = userId is null ? null
            : await database.Users.AsNoTracking().SingleOrDefaultAsync(record => record.Id == userId && record.TenantId == tenant, http.RequestAborted);
        if (principal is null || user is null || !principal.GetAudiences().Contains(MfaAudience.For(http)))
        {
            return (null, MfaApiErrors.Error(StatusCodes.Status401Unauthorized, "invalid_token", "The access token is not valid for the MFA API of this tenant."));
        }

        // A token issued before the user's MFA was reset (iat keeps whole seconds) no longer speaks for them.
        if (user.SessionsValidFrom is not null
            && (principal.GetCreationDate() is not { } issued || !LoginSession.IsIssuedSince(issued, user, TimeSpan.FromSeconds(1))))
        {
            return (null, MfaApiErrors.Error(StatusCodes.Status401Unauthorized, "invalid_token", "The access token was issued before the user's MFA was reset: sign in again."));
        }

        var tokenClient = principal.GetClaim(Claims.ClientId) ?? principal.GetClaim(Claims.AuthorizedParty) ?? "";
        if (clientId is not null && clientId != tokenClient)
        {
            return (null, MfaApiErrors.Error(StatusCodes.Status401Unauthorized, "invalid_token", "The access token was not issued to this client."));
        }

        var caller = new MfaApiCaller(user, tokenClient, Login: null, principal.GetScopes().ToList(), principal.GetClaims(Claims.AuthenticationMethodReference).Contains("mfa"))
        {
            AccessToken = bearer,
            AccessTokenExpiresAt = result.Properties?.ExpiresUtc,
        };
        return (caller, null);
    }
}
