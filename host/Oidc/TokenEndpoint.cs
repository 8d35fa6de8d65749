using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// <c>/connect/token</c>: redeems a code as issued; client credentials give a tenant's machine client an access token
/// for the scopes it is allowed; a refresh runs the rules again (protocol
/// <c>oauth2-refresh-token</c>): a deny refuses it, an MFA demand refuses it unless its session did MFA.
/// </summary>
public sealed class TokenEndpoint(RulesMfaDbContext database, TenantClients clients, LoginDecisions decisions)
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

        var (decision, plan) = await decisions.DecideAsync(user, session, request, "oauth2-refresh-token", http, rememberedBrowserToken: null, http.RequestAborted);
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
