using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.Oidc;

/// <summary>Maps the passthrough endpoints OpenIddict hands to the host.</summary>
public static class AuthorizationEndpoints
{
    public static void MapAuthorizationEndpoints(this WebApplication app)
    {
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext http, AuthorizeEndpoint endpoint) => endpoint.HandleAsync(http)).DisableAntiforgery();
        app.MapPost("/connect/token", (HttpContext http, TokenEndpoint endpoint) => endpoint.HandleAsync(http)).DisableAntiforgery()
            .WithSummary("The OAuth 2.0 token endpoint (form body, client authentication).")
            .WithDescription("Grants: authorization_code, refresh_token, client_credentials; for clients allowed it, password and " +
                $"{MfaApi.MfaGrantTypes.PasswordRealm} (realm), then Auth0's MFA grants {string.Join(", ", MfaApi.MfaGrantTypes.Mfa)} " +
                "with the mfa_token of an mfa_required answer.");
        app.MapMethods("/connect/userinfo", ["GET", "POST"], UserInfoAsync).DisableAntiforgery();
    }

    public static IServiceCollection AddAuthorizationEndpoints(this IServiceCollection services) =>
        services.AddScoped<AuthorizeEndpoint>().AddScoped<TokenEndpoint>();

    private static async Task<IResult> UserInfoAsync(HttpContext http, RulesMfaDbContext database)
    {
        var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var user = principal?.GetClaim(Claims.Subject) is { } userId ? await database.Users.FindAsync([userId], http.RequestAborted) : null;
        if (principal is null || user is null || user.TenantId != TenantContext.Required(http).Id)
        {
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object> { [Claims.Subject] = user.Id };
        if (principal.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = user.Email;
            claims[Claims.EmailVerified] = user.EmailVerified;
        }

        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.Name ?? user.Email;
        }

        return Results.Ok(claims);
    }
}
