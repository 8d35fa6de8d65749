using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using RulesMfa.Host.Storage;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// The OpenID Connect provider: OpenIddict with EF Core stores, authorization code + PKCE (S256 only),
/// refresh tokens, client credentials (machine clients of the admin API), userinfo and end-session, endpoints
/// relative to the tenant's path base.
/// </summary>
public static class OidcServerSetup
{
    /// <summary>The <c>acr</c> value for a login that did MFA.</summary>
    public const string MultiFactorAcr = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

    public static IServiceCollection AddRulesMfaOidcServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeysConfiguration>();
        services.AddScoped<TenantClients>();
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<RulesMfaDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetEndSessionEndpointUris("connect/logout");
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow().RequireProofKeyForCodeExchange();
                // A rotated refresh token used again is taken as stolen at once, as with Auth0's default reuse interval of 0:
                // refused, with every token of its chain (OpenIddict would otherwise accept it again for 30 s).
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                server.RegisterScopes(OpenIddictConstants.Scopes.OpenId, OpenIddictConstants.Scopes.Profile,
                    OpenIddictConstants.Scopes.Email, OpenIddictConstants.Scopes.OfflineAccess, Admin.AdminAccess.Scope);
                server.DisableAccessTokenEncryption();
                server.Configure(options => options.CodeChallengeMethods.Remove(OpenIddictConstants.CodeChallengeMethods.Plain));
                server.AddEventHandler<HandleConfigurationRequestContext>(handler => handler.UseInlineHandler(context =>
                {
                    context.Metadata["acr_values_supported"] = JsonSerializer.SerializeToElement(new[] { MultiFactorAcr });
                    return default;
                }));
                PublicOrigin.Configure(server, configuration["Server:PublicOrigin"]);
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableStatusCodePagesIntegration()
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                // The admin API accepts this server's own access tokens (client credentials of a tenant's machine client).
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });
        return services;
    }
}
