using System.Text.Json.Nodes;
using OpenIddict.Abstractions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Oidc;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// <c>POST /{tenant}/mfa/challenge</c> (JSON or form; <c>client_id</c> and its secret, <c>mfa_token</c>,
/// <c>challenge_type</c> <c>otp</c> and/or <c>oob</c>, <c>authenticator_id</c> possibly empty): readies a factor of the
/// login's current challenge, sending a code for an out-of-band factor. Answers <c>{"challenge_type": "otp"}</c> or
/// <c>{"challenge_type": "oob", "oob_code", "binding_method"}</c>; <c>association_required</c> when the user must enroll
/// first, <c>unsupported_challenge_type</c> when no factor of the step is of the types asked.
/// </summary>
public sealed class ChallengeEndpoint(
    MfaLogins logins, MfaFactors factors, RulesMfaDbContext database, IOpenIddictApplicationManager applications, TenantClients clients, TenantBranding branding,
    ILogger<ChallengeEndpoint> logger)
{
    /// <summary>The digits a push asks the user to repeat on the device: the app shows them (push's number matching, not Auth0's).</summary>
    public const string DigitsField = "rulesmfa_digits";

    private static readonly string[] ChallengeTypes = ["otp", "oob"];

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var (body, unreadable) = await MfaApiRequest.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return MfaApiErrors.Error(StatusCodes.Status400BadRequest, "invalid_request", unreadable!);
        }

        var missing = new[] { "client_id", "mfa_token" }.FirstOrDefault(name => body.Value(name) is null);
        if (missing is not null)
        {
            return MfaApiErrors.Missing(missing);
        }

        if (!await AuthenticatesAsync(http, body.Value("client_id")!, body.Value("client_secret")))
        {
            return MfaApiErrors.Error(StatusCodes.Status401Unauthorized, Errors.InvalidClient, "Client authentication failed.");
        }

        var (login, refusal) = await logins.OpenAsync(http, body.Value("mfa_token"), body.Value("client_id"), StatusCodes.Status403Forbidden);
        if (login is null)
        {
            return refusal!;
        }

        var types = body.Values("challenge_type");
        if (types.Count == 0)
        {
            types = ChallengeTypes;
        }

        if (types.FirstOrDefault(type => !ChallengeTypes.Contains(type)) is { } unknown)
        {
            return MfaApiErrors.Error(StatusCodes.Status400BadRequest, "unsupported_challenge_type", $"The challenge_type {unknown} is not supported: use otp or oob.");
        }

        if (login.Transaction.Enroll)
        {
            return MfaApiErrors.Error(StatusCodes.Status400BadRequest, "association_required", "The user must enroll an authenticator first (POST /mfa/associate).");
        }

        var candidates = login.Offered(factors).Where(factor => factor.Type != FactorType.RecoveryCode && types.Contains(factor.Api!.AuthenticatorType)).ToList();
        var authenticatorId = body.Value("authenticator_id");
        var factor = await ChooseAsync(candidates, login, authenticatorId, http.RequestAborted);
        if (factor is null)
        {
            return MfaApiErrors.Error(StatusCodes.Status400BadRequest, "unsupported_challenge_type",
                $"This sign-in has no authenticator of the challenge type {string.Join(" ", types)}{(authenticatorId is not null ? $" with the id {authenticatorId}" : "")}.");
        }

        var step = login.Step(http, (await branding.ForAsync(http)).Name, logger);
        switch (await factor.Api!.ChallengeAsync(step, authenticatorId, http.RequestAborted))
        {
            case MfaApiChallenge.Refused refused:
                return MfaApiErrors.Error(refused.TooMany ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest,
                    refused.TooMany ? "too_many_attempts" : "invalid_request", refused.Description);
            case MfaApiChallenge.Ready { Oob: false }:
                return Results.Json(new JsonObject { ["challenge_type"] = "otp" });
            case MfaApiChallenge.Ready ready:
                var oobCode = MfaTokens.NewOobCode();
                if (!await login.SaveAsync(login.Login with { Oob = new MfaApiOob(MfaTokens.Hash(oobCode), factor.Type, Enrolling: false, ready.BindingMethod) }, http.RequestAborted))
                {
                    throw new MfaLoginChangedException();
                }

                var answer = new JsonObject { ["challenge_type"] = "oob", ["oob_code"] = oobCode };
                if (ready.BindingMethod is not null)
                {
                    answer["binding_method"] = ready.BindingMethod;
                }

                if (ready.DigitsToMatch is not null)
                {
                    answer[DigitsField] = ready.DigitsToMatch;
                }

                return Results.Json(answer);
            default:
                throw new InvalidOperationException("Unexpected challenge result.");
        }
    }

    /// <summary>The factor <paramref name="authenticatorId"/> belongs to among <paramref name="candidates"/>, or the first candidate when none is named.</summary>
    private async Task<IMfaFactor?> ChooseAsync(List<IMfaFactor> candidates, OpenMfaLogin login, string? authenticatorId, CancellationToken cancellationToken)
    {
        if (authenticatorId is null)
        {
            return candidates.FirstOrDefault();
        }

        foreach (var candidate in candidates)
        {
            if ((await candidate.Api!.AuthenticatorsAsync(database, login.User, cancellationToken)).Any(authenticator => authenticator.Id == authenticatorId))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The client is this tenant's, and a confidential client sent its secret.</summary>
    private async Task<bool> AuthenticatesAsync(HttpContext http, string clientId, string? secret)
    {
        var application = await applications.FindByClientIdAsync(clientId, http.RequestAborted);
        if (application is null || !await clients.BelongsToAsync(clientId, TenantContext.Required(http).Id, http.RequestAborted))
        {
            return false;
        }

        return await applications.HasClientTypeAsync(application, ClientTypes.Public, http.RequestAborted)
            || (secret is not null && await applications.ValidateClientSecretAsync(application, secret, http.RequestAborted));
    }
}
