using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// The identity behind the tokens: the user, how they signed in (<c>amr</c>, <c>acr</c>, <c>auth_time</c>) and
/// the rules' custom claims, each with its destinations. Session facts ride along without destinations, so a
/// refresh can tell whether its session did MFA.
/// </summary>
public static class TokenPrincipal
{
    private const string PasswordAtClaim = "rulesmfa_pwd_at";
    private const string MfaAtClaim = "rulesmfa_mfa_at";
    private const string SessionClaim = "rulesmfa_sid";
    private const string RuleClaimsClaim = "rulesmfa_rule_claims";

    public static ClaimsPrincipal Create(UserRecord user, LoginSession session, IEnumerable<string> scopes, JsonObject idTokenClaims, JsonObject accessTokenClaims)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        var scopeList = scopes.ToList();
        Add(identity, new Claim(Claims.Subject, user.Id), Destinations.IdentityToken, Destinations.AccessToken);
        if (scopeList.Contains(Scopes.Email))
        {
            Add(identity, new Claim(Claims.Email, user.Email), Destinations.IdentityToken);
            Add(identity, new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean), Destinations.IdentityToken);
        }

        if (scopeList.Contains(Scopes.Profile))
        {
            Add(identity, new Claim(Claims.Name, user.Name ?? user.Email), Destinations.IdentityToken);
        }

        foreach (var method in session.Methods)
        {
            Add(identity, new Claim(Claims.AuthenticationMethodReference, method), Destinations.IdentityToken, Destinations.AccessToken);
        }

        if (session.DidMfa)
        {
            Add(identity, new Claim(Claims.AuthenticationContextReference, OidcServerSetup.MultiFactorAcr), Destinations.IdentityToken, Destinations.AccessToken);
        }

        Add(identity, new Claim(Claims.AuthenticationTime, session.AuthenticatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            Destinations.IdentityToken);
        AddCustom(identity, idTokenClaims, accessTokenClaims);
        identity.AddClaim(new Claim(RuleClaimsClaim, new JsonObject { ["id"] = idTokenClaims.DeepClone(), ["access"] = accessTokenClaims.DeepClone() }.ToJsonString()));

        identity.AddClaim(new Claim(SessionClaim, session.SessionId));
        identity.AddClaim(new Claim(PasswordAtClaim, session.PasswordAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        if (session.MfaAt is { } mfaAt)
        {
            identity.AddClaim(new Claim(MfaAtClaim, mfaAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopeList);
        return principal;
    }

    /// <summary>A machine client's own access token (client credentials): it is its own subject; no user, no session.</summary>
    public static ClaimsPrincipal ForClient(string clientId, string tenantId, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        Add(identity, new Claim(Claims.Subject, clientId), Destinations.AccessToken);
        Add(identity, new Claim("tenant", tenantId), Destinations.AccessToken);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        return principal;
    }

    /// <summary>
    /// The principal of a redeemed authorization code with the rules' claims as the rules set them. Read back from the
    /// code, a JSON array claim becomes one claim per element, so <c>["admin"]</c> would reach the tokens as
    /// <c>"admin"</c> and <c>[]</c> not at all; the code also carries the claims as the rules wrote them.
    /// </summary>
    public static ClaimsPrincipal WithRuleClaimsRestored(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity identity || principal.GetClaim(RuleClaimsClaim) is not { } json
            || JsonNode.Parse(json) is not JsonObject { } written || written["id"] is not JsonObject idTokenClaims || written["access"] is not JsonObject accessTokenClaims)
        {
            return principal;
        }

        foreach (var name in idTokenClaims.Select(pair => pair.Key).Union(accessTokenClaims.Select(pair => pair.Key)))
        {
            foreach (var claim in identity.FindAll(name).ToList())
            {
                identity.RemoveClaim(claim);
            }
        }

        AddCustom(identity, idTokenClaims, accessTokenClaims);
        return principal;
    }

    /// <summary>The session a refresh token was issued to, read back from its principal.</summary>
    public static LoginSession? SessionOf(ClaimsPrincipal principal, string tenantId)
    {
        var userId = principal.GetClaim(Claims.Subject);
        var sessionId = principal.GetClaim(SessionClaim);
        if (userId is null || sessionId is null || !long.TryParse(principal.GetClaim(PasswordAtClaim), CultureInfo.InvariantCulture, out var passwordAt))
        {
            return null;
        }

        DateTimeOffset? mfaAt = long.TryParse(principal.GetClaim(MfaAtClaim), CultureInfo.InvariantCulture, out var mfa) ? DateTimeOffset.FromUnixTimeMilliseconds(mfa) : null;
        return new LoginSession(userId, tenantId, sessionId, DateTimeOffset.FromUnixTimeMilliseconds(passwordAt), mfaAt,
            principal.GetClaims(Claims.AuthenticationMethodReference).ToList());
    }

    /// <summary>
    /// OpenIddict keeps destinations per claim type, so a claim the rules set in both tokens is one claim with both
    /// destinations (an Action that calls <c>api.idToken.setCustomClaim</c> and <c>api.accessToken.setCustomClaim</c>
    /// with one name). Should the two values differ, each token cannot get its own: the ID token's value is kept.
    /// </summary>
    private static void AddCustom(ClaimsIdentity identity, JsonObject idTokenClaims, JsonObject accessTokenClaims)
    {
        foreach (var (name, value) in idTokenClaims)
        {
            if (value is not null)
            {
                var alsoAccess = accessTokenClaims[name] is { } access && JsonNode.DeepEquals(access, value);
                Add(identity, ToClaim(name, value), alsoAccess ? [Destinations.IdentityToken, Destinations.AccessToken] : [Destinations.IdentityToken]);
            }
        }

        foreach (var (name, value) in accessTokenClaims)
        {
            if (value is not null && idTokenClaims[name] is null)
            {
                Add(identity, ToClaim(name, value), Destinations.AccessToken);
            }
        }
    }

    private static Claim ToClaim(string name, JsonNode value) => value switch
    {
        JsonObject => new Claim(name, value.ToJsonString(), JsonClaimValueTypes.Json),
        JsonArray => new Claim(name, value.ToJsonString(), JsonClaimValueTypes.JsonArray),
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => new Claim(name, value.GetValue<string>()),
            JsonValueKind.True or JsonValueKind.False => new Claim(name, value.GetValueKind() == JsonValueKind.True ? "true" : "false", ClaimValueTypes.Boolean),
            _ => new Claim(name, value.ToJsonString(), ClaimValueTypes.Double),
        },
    };

    private static void Add(ClaimsIdentity identity, Claim claim, params string[] destinations)
    {
        claim.SetDestinations(destinations);
        identity.AddClaim(claim);
    }
}
