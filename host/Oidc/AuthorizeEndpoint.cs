using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// <c>/connect/authorize</c>: signs the user in (password page) when needed, runs the tenant's rules once per
/// authorization request, then denies, sends the user to MFA, or issues the code with the decision's claims.
/// </summary>
public sealed class AuthorizeEndpoint(
    RulesMfaDbContext database, TenantClients clients, LoginDecisions decisions, MfaStart mfa, RememberedBrowserCookie rememberedBrowserCookie,
    TimeProvider clock)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var tenant = TenantContext.Required(http).Id;
        if (!await clients.BelongsToAsync(request.ClientId, tenant, http.RequestAborted))
        {
            return OidcResults.Forbid(Errors.InvalidClient, "The client is not registered for this tenant.");
        }

        var session = LoginSession.From((await http.AuthenticateAsync(SessionSchemes.Session)).Principal);
        if (session is null || session.TenantId != tenant || NeedsFreshLogin(request, session))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return OidcResults.Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            await http.SignOutAsync(SessionSchemes.Session);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = ReturnUrl(http, withoutLoginPrompt: true) }, [SessionSchemes.Session]);
        }

        var user = await database.Users.SingleOrDefaultAsync(record => record.Id == session.UserId && record.TenantId == tenant, http.RequestAborted);
        if (user is null || !session.IsCurrentFor(user))
        {
            // No such user any more, or a session from before the user's MFA was reset: the password again.
            await http.SignOutAsync(SessionSchemes.Session);
            if (request.HasPromptValue(PromptValues.None))
            {
                return OidcResults.Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            return Results.Challenge(new AuthenticationProperties { RedirectUri = ReturnUrl(http, withoutLoginPrompt: true) }, [SessionSchemes.Session]);
        }

        var requestHash = HashOf(request);
        var transaction = MfaTransaction.From((await http.AuthenticateAsync(SessionSchemes.Mfa)).Principal);
        if (transaction is { Refusal: { } refusal } && transaction.UserId == user.Id && transaction.RequestHash == requestHash)
        {
            // The user read why on the "cannot be completed" page and went back: the application learns it too.
            await http.SignOutAsync(SessionSchemes.Mfa);
            return OidcResults.Forbid(Errors.AccessDenied, refusal);
        }

        if (transaction is { Completed: true } && transaction.UserId == user.Id && transaction.RequestHash == requestHash && session.DidMfa)
        {
            await http.SignOutAsync(SessionSchemes.Mfa);
            return OidcResults.SignIn(TokenPrincipal.Create(user, session, request.GetScopes(), transaction.IdTokenClaims, transaction.AccessTokenClaims));
        }

        var (decision, plan) = await decisions.DecideAsync(user, session, request, "oidc-basic-profile", http,
            rememberedBrowserCookie.Read(http), http.RequestAborted);
        switch (plan)
        {
            case FactorPlan.Deny deny when deny.UnavailableFactors.Count == 0 || request.HasPromptValue(PromptValues.None):
                return OidcResults.Forbid(deny.Code, deny.Description);
            case FactorPlan.None:
                return OidcResults.SignIn(TokenPrincipal.Create(user, session, request.GetScopes(), decision.IdTokenClaims, decision.AccessTokenClaims));
        }

        if (request.HasPromptValue(PromptValues.None))
        {
            return OidcResults.Forbid(Errors.InteractionRequired, "Multi-factor authentication is required.");
        }

        var rememberAllowed = decision.AllowRememberBrowser == true && !AcrValues.RequestsMultiFactor(request.AcrValues);
        return await mfa.BeginAsync(http, user, requestHash, plan, decision, rememberAllowed, request.ClientId, ReturnUrl(http, withoutLoginPrompt: false))
            ?? throw new InvalidOperationException($"Unexpected plan {plan.GetType().Name}.");
    }

    /// <summary><c>prompt=login</c>, or <c>max_age</c> older than the last active authentication.</summary>
    private bool NeedsFreshLogin(OpenIddictRequest request, LoginSession session) =>
        request.HasPromptValue(PromptValues.Login)
        || (request.MaxAge is { } maxAge && clock.GetUtcNow() - session.AuthenticatedAt > TimeSpan.FromSeconds(maxAge));

    /// <summary>
    /// This authorization request as a local URL. Once the user is sent to log in, without what demanded a fresh login
    /// (<c>login</c> among the <c>prompt</c> values, and <c>max_age</c>), which the login satisfies: kept, they would demand
    /// it again when the user comes back (<c>max_age=0</c> always would), and the login would never end.
    /// </summary>
    private static string ReturnUrl(HttpContext http, bool withoutLoginPrompt)
    {
        IEnumerable<KeyValuePair<string, StringValues>> parameters = http.Request.HasFormContentType ? http.Request.Form : http.Request.Query;
        if (withoutLoginPrompt)
        {
            parameters = parameters.Where(parameter => parameter.Key != Parameters.MaxAge)
                .Select(parameter => parameter.Key == Parameters.Prompt ? KeyValuePair.Create(parameter.Key, WithoutLogin(parameter.Value)) : parameter)
                .Where(parameter => !StringValues.IsNullOrEmpty(parameter.Value));
        }

        return http.Request.PathBase + http.Request.Path + QueryString.Create(parameters);
    }

    /// <summary>The <c>prompt</c> values (space-separated) without <c>login</c>; empty when it was the only one.</summary>
    private static StringValues WithoutLogin(StringValues prompt) =>
        string.Join(' ', prompt.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(value => value != PromptValues.Login));

    /// <summary>
    /// Identifies the authorization request a pending MFA belongs to: every parameter, by name and in order of name, as the
    /// rules saw them (<c>context.request.query</c>). A completed MFA answers only that request; one with any parameter
    /// changed (the MFA pages' <c>returnUrl</c> is the user's to edit) is decided by the rules again.
    /// </summary>
    private static string HashOf(OpenIddictRequest request)
    {
        var parameters = request.GetParameters().OrderBy(parameter => parameter.Key, StringComparer.Ordinal)
            .Select(parameter => new object?[] { parameter.Key, ((StringValues)parameter.Value).ToArray() });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(parameters))));
    }
}
