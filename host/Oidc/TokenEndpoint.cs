using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Login;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// <c>/connect/token</c>: redeems a code as issued; client credentials give a tenant's machine client an access token
/// for the scopes it is allowed; a refresh runs the rules again (protocol
/// <c>oauth2-refresh-token</c>): a deny refuses it, an MFA demand refuses it unless its session did MFA (a client of the
/// MFA API then gets <c>mfa_required</c>). The password grant and the MFA grants are the MFA API's (<c>MfaApi/</c>).
/// </summary>
public sealed class TokenEndpoint(
    RulesMfaDbContext database, TenantClients clients, LoginDecisions decisions, IOpenIddictApplicationManager applications, PasswordGrant passwordGrant,
    MfaGrants mfaGrants, MfaRequiredAnswer mfaRequired)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var tenant = TenantContext.Required(http).Id;
        if (!await clients.BelongsToAsync(request.ClientId, tenant, http.RequestAborted))
        {
            return OidcResults.Forbid(Errors.InvalidClient, "The client is not registered for this tenant.");
        }

        if (request.IsClientCredentialsGrantType())
        {
            return OidcResults.SignIn(TokenPrincipal.ForClient(request.ClientId!, tenant, request.GetScopes()));
        }

        if (request.IsPasswordGrantType() || request.GrantType == MfaGrantTypes.PasswordRealm)
        {
            return await passwordGrant.HandleAsync(http, request, tenant);
        }

        if (MfaGrantTypes.Mfa.Contains(request.GrantType))
        {
            return await mfaGrants.HandleAsync(http, request);
        }

        var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        if (principal is null)
        {
            return OidcResults.Forbid(Errors.InvalidGrant, "The grant is no longer valid.");
        }

        if (request.IsAuthorizationCodeGrantType())
        {
            return OidcResults.SignIn(TokenPrincipal.WithRuleClaimsRestored(principal));
        }

        if (!request.IsRefreshTokenGrantType())
        {
            return OidcResults.Forbid(Errors.UnsupportedGrantType, "This grant type is not supported.");
        }

        var session = TokenPrincipal.SessionOf(principal, tenant);
        var user = session is null ? null : await database.Users.SingleOrDefaultAsync(record => record.Id == session.UserId && record.TenantId == tenant, http.RequestAborted);
        if (session is null || user is null)
        {
            return OidcResults.Forbid(Errors.InvalidGrant, "The user of this refresh token no longer exists.");
        }

        if (!session.IsCurrentFor(user))
        {
            return OidcResults.Forbid(Errors.InvalidGrant, "The user's MFA was reset after this refresh token was issued; sign in again.");
        }

        var (decision, plan) = await decisions.DecideAsync(user, session, request, "oauth2-refresh-token", http, rememberedBrowserToken: null, http.RequestAborted);
        if (plan is FactorPlan.Challenge or FactorPlan.Enroll && !session.DidMfa
            && await PasswordGrantClients.HasMfaGrantsAsync(applications, request.ClientId, http.RequestAborted))
        {
            // A client of the MFA API passes MFA through it, as after a password.
            return await mfaRequired.BeginAsync(http, user, request.ClientId!, plan, decision, session,
                principal.GetScopes().ToList(), principal.GetAudiences().FirstOrDefault()) ?? throw new InvalidOperationException("A plan with MFA began none.");
        }

        return plan switch
        {
            FactorPlan.Deny { Code: DecisionError.TemporarilyUnavailable } busy => OidcResults.Forbid(busy.Code, busy.Description),
            FactorPlan.Deny deny => OidcResults.Forbid(Errors.InvalidGrant, deny.Description),
            FactorPlan.Challenge or FactorPlan.Enroll when !session.DidMfa =>
                OidcResults.Forbid(Errors.InvalidGrant, "Multi-factor authentication is required; sign in again."),
            _ => OidcResults.SignIn(TokenPrincipal.Create(user, session, principal.GetScopes(), decision.IdTokenClaims, decision.AccessTokenClaims)),
        };
    }
}
