using OpenIddict.Server;

namespace RulesMfa.Host.MfaApi;

/// <summary>Registers the MFA API: its services, the grants OpenIddict accepts, its scopes, and its endpoints under <c>/{tenant}/mfa/</c>.</summary>
public static class MfaApiServices
{
    public static IServiceCollection AddMfaApi(this IServiceCollection services)
    {
        services.AddOpenIddict().AddServer(server => server
            .AllowPasswordFlow()
            .AllowCustomFlow(MfaGrantTypes.PasswordRealm)
            .AllowCustomFlow(MfaGrantTypes.Otp)
            .AllowCustomFlow(MfaGrantTypes.Oob)
            .AllowCustomFlow(MfaGrantTypes.RecoveryCode)
            .RegisterScopes([.. MfaGrantTypes.Scopes])
            // Auth0's password grant names the MFA API's audience in "audience", which OpenIddict accepts only for token
            // exchange (not served here); PasswordGrant checks its value.
            .RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateAudienceParameter.Descriptor)
            .RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateAudiences.Descriptor)
            .RemoveEventHandler(OpenIddictServerHandlers.Exchange.ValidateAudiencePermissions.Descriptor));
        return services.AddScoped<MfaTokens>().AddScoped<MfaLogins>().AddScoped<MfaApiCallers>().AddScoped<MfaRequiredAnswer>()
            .AddScoped<PasswordGrant>().AddScoped<MfaGrants>()
            .AddScoped<AssociateEndpoint>().AddScoped<AuthenticatorsEndpoint>().AddScoped<ChallengeEndpoint>();
    }

    public static void MapMfaApi(this WebApplication app)
    {
        var api = app.MapGroup("/mfa").WithTags("MFA API").DisableAntiforgery();
        api.MapPost("/associate", (HttpContext http, AssociateEndpoint endpoint) => endpoint.HandleAsync(http))
            .WithSummary("Starts enrolling an authenticator (Auth0's MFA API): authenticator_types otp, or oob with oob_channels email. Bearer: the mfa_token, or an access token of scope enroll.");
        api.MapGet("/authenticators", (HttpContext http, AuthenticatorsEndpoint endpoint) => endpoint.ListAsync(http))
            .WithSummary("Lists the user's authenticators. Bearer: the mfa_token, or an access token of scope read:authenticators.");
        api.MapDelete("/authenticators/{id}", (HttpContext http, string id, AuthenticatorsEndpoint endpoint) => endpoint.RemoveAsync(http, id))
            .WithSummary("Removes an authenticator. Bearer: an access token of scope remove:authenticators from a sign-in that did MFA.");
        api.MapPost("/challenge", (HttpContext http, ChallengeEndpoint endpoint) => endpoint.HandleAsync(http))
            .WithSummary("Readies a challenge of the mfa_token's login (challenge_type otp or oob); an oob challenge sends a code and answers an oob_code.");
    }
}
