using System.Text.Json.Nodes;
using OpenIddict.Abstractions;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Factors.RecoveryCode;
using RulesMfa.Host.Login;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Tenants;
using EngineRecoveryCode = RulesMfa.Engine.Factors.RecoveryCode;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// <c>POST /{tenant}/mfa/associate</c>: starts enrolling an authenticator (<c>authenticator_types</c> <c>otp</c>, or
/// <c>oob</c> with <c>oob_channels</c>) that the matching grant confirms. With an <c>mfa_token</c> only while the user has
/// no factor, or after passing one in this login (the rules asked to enroll another); with an access token of scope
/// <c>enroll</c> only when that token's sign-in did MFA, if the user has a factor. Otherwise 403 "User is already enrolled":
/// a password alone never adds a factor to an account that has one. A first enrollment shows the recovery code, which
/// becomes the user's only when the enrollment is confirmed.
/// </summary>
public sealed class AssociateEndpoint(
    MfaApiCallers callers, MfaLogins logins, MfaTokens tokens, MfaFactors factors, EnrolledFactors enrolledFactors, RecoveryCodeService recoveryCodes,
    TenantBranding branding, TimeProvider clock, ILogger<AssociateEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var (body, unreadable) = await MfaApiRequest.ReadAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return MfaApiErrors.Error(StatusCodes.Status400BadRequest, "invalid_request", unreadable!);
        }

        var (caller, refusal) = await callers.IdentifyAsync(http, body.Value("client_id"));
        if (caller is null)
        {
            return refusal!;
        }

        if (!caller.May(MfaGrantTypes.EnrollScope))
        {
            return MfaApiErrors.Forbidden($"The access token lacks the scope {MfaGrantTypes.EnrollScope}.");
        }

        var types = body.Values("authenticator_types");
        if (types.Count == 0)
        {
            return MfaApiErrors.Missing("authenticator_types");
        }

        var channels = body.Values("oob_channels");
        var factor = factors.All.FirstOrDefault(candidate => candidate is { Api: { } api, EnrollPart: not null } && types.Contains(api.AuthenticatorType)
            && (api.AuthenticatorType != "oob" || channels.Any(api.OobChannels.Contains)));
        if (factor is null)
        {
            var served = factors.All.Where(candidate => candidate is { Api: not null, EnrollPart: not null })
                .Select(candidate => candidate.Api!.AuthenticatorType == "oob" ? $"oob with oob_channels {string.Join("/", candidate.Api.OobChannels)}" : candidate.Api.AuthenticatorType);
            return MfaApiErrors.Error(StatusCodes.Status400BadRequest, "invalid_request",
                $"authenticator_types {string.Join(",", types)}{(channels.Count > 0 ? $" with oob_channels {string.Join(",", channels)}" : "")} cannot be enrolled here: use {string.Join(", or ", served)}.");
        }

        var hasFactor = await enrolledFactors.AnyConfirmedAsync(caller.User.Id, http.RequestAborted);
        var provedFactor = caller.Login is { } login ? login.Transaction.ProvedWith is not null : caller.DidMfa;
        if (hasFactor && !provedFactor)
        {
            logger.FactorRefused(caller.User.Id, caller.User.TenantId, factor.Type, http.Connection.RemoteIpAddress?.ToString(), MfaApiErrors.AlreadyEnrolled);
            return MfaApiErrors.Forbidden(MfaApiErrors.AlreadyEnrolled);
        }

        var (open, notOffered) = caller.Login is { } existing ? (existing, Offers(existing, factor)) : (await OpenForAccessTokenAsync(http, caller, factor), null);
        if (open is null || notOffered is not null)
        {
            return notOffered ?? MfaApiErrors.Expired();
        }

        if (!open.Settings.EnabledFactors.Contains(factor.Type))
        {
            return MfaApiErrors.Forbidden($"{factor.DisplayName} is not enabled in this tenant.");
        }

        var step = open.Step(http, (await branding.ForAsync(http)).Name, logger);
        var association = await factor.Api!.AssociateAsync(step, body, http.RequestAborted);
        if (association is MfaApiAssociation.Refused refused)
        {
            return MfaApiErrors.Error(refused.TooMany ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest,
                refused.TooMany ? "too_many_attempts" : "invalid_request", refused.Description);
        }

        var answer = new JsonObject { ["authenticator_type"] = factor.Api.AuthenticatorType };
        var changed = open.Login;
        switch (association)
        {
            case MfaApiAssociation.Otp otp:
                answer["secret"] = otp.Secret;
                answer["barcode_uri"] = otp.BarcodeUri;
                break;
            case MfaApiAssociation.Oob oob:
                var oobCode = MfaTokens.NewOobCode();
                changed = changed with { Oob = new MfaApiOob(MfaTokens.Hash(oobCode), factor.Type, Enrolling: true, oob.BindingMethod) };
                answer["oob_channel"] = oob.Channel;
                answer["oob_code"] = oobCode;
                if (oob.BindingMethod is not null)
                {
                    answer["binding_method"] = oob.BindingMethod;
                }

                if (oob.BarcodeUri is not null)
                {
                    answer["barcode_uri"] = oob.BarcodeUri;
                }

                break;
        }

        if (!await recoveryCodes.HoldsOneAsync(caller.User.Id, http.RequestAborted))
        {
            var recoveryCode = EngineRecoveryCode.Generate();
            changed = changed with { PendingRecoveryCodeHash = EngineRecoveryCode.Hash(recoveryCode) };
            answer["recovery_codes"] = new JsonArray(GrantTokens.Wire(recoveryCode));
        }

        if (!await open.SaveAsync(changed, http.RequestAborted))
        {
            throw new MfaLoginChangedException();
        }

        logger.AssociationStarted(caller.User.Id, caller.User.TenantId, factor.Type, caller.ClientId);
        return Results.Json(answer);
    }

    /// <summary>Null when the <c>mfa_token</c>'s current step is an enrollment offering <paramref name="factor"/>; otherwise the refusal.</summary>
    private IResult? Offers(OpenMfaLogin login, IMfaFactor factor)
    {
        if (login.Transaction.Enroll && login.Offered(factors).Contains(factor))
        {
            return null;
        }

        var why = $"This sign-in does not offer to set up {factor.DisplayName.ToLowerInvariant()}.";
        logger.FactorRefused(login.User.Id, login.User.TenantId, factor.Type, null, why);
        return MfaApiErrors.Forbidden(why);
    }

    /// <summary>An enrollment of <paramref name="factor"/> kept under the access token, for as long as the token lives.</summary>
    private async Task<OpenMfaLogin?> OpenForAccessTokenAsync(HttpContext http, MfaApiCaller caller, IMfaFactor factor)
    {
        var now = clock.GetUtcNow();
        var tenant = TenantContext.Required(http).Id;
        var transaction = new MfaTransaction(caller.User.Id, caller.ClientId, Enroll: true, [factor.Type], RecoveryCodeAllowed: false, RememberBrowserAllowed: false,
            [], [], null)
        {
            ProvedWith = caller.DidMfa ? ["mfa"] : null,
        };
        var session = LoginSession.AfterPassword(caller.User.Id, tenant, now);
        var login = new MfaApiLogin(transaction, session, caller.Scopes, MfaAudience.For(http));
        var expiresAt = caller.AccessTokenExpiresAt is { } expires && expires < now + MfaAudience.TokenLifetime ? expires : now + MfaAudience.TokenLifetime;
        await tokens.IssueForAccessTokenAsync(caller.AccessToken!, expiresAt, tenant, caller.ClientId, login, http.RequestAborted);
        return (await logins.OpenAsync(http, caller.AccessToken, caller.ClientId, StatusCodes.Status401Unauthorized)).Login;
    }
}
