using OpenIddict.Abstractions;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Factors.RecoveryCode;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Tenants;
using RulesMfa.Host.Telemetry;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RulesMfa.Host.MfaApi;

/// <summary>
/// Auth0's MFA grants at the token endpoint (<c>mfa-otp</c>, <c>mfa-oob</c>, <c>mfa-recovery-code</c>): the <c>mfa_token</c>'s
/// login, a factor of its current step only, a secret checked only while the user's one bucket of attempts has one left
/// (<see cref="CodeAttempts"/>, shared with the pages), then tokens with the <c>amr</c> the pages give, once: the grant that
/// completes the login makes the token useless. A challenge passed before an enrollment the rules demand answers
/// <c>mfa_required</c> again, now to enroll; an enrollment confirmed here issues the first recovery code and tells the owner.
/// </summary>
public sealed class MfaGrants(
    MfaLogins logins, MfaFactors factors, CodeAttempts attempts, EnrolledFactors enrolledFactors, RecoveryCodeService recoveryCodes,
    FactorAddedNotice notice, MfaRequiredAnswer mfaRequired, MfaTokens tokens, TenantBranding branding, TimeProvider clock, ILogger<MfaGrants> logger)
{
    /// <summary>A push polled again sooner than this is answered <c>slow_down</c> (Auth0's pages poll every 5 seconds).</summary>
    public static readonly TimeSpan MinimumPollInterval = TimeSpan.FromSeconds(5);

    public async Task<IResult> HandleAsync(HttpContext http, OpenIddictRequest request)
    {
        var token = request.GetParameter("mfa_token")?.ToString();
        if (string.IsNullOrEmpty(token))
        {
            return MfaApiErrors.Missing("mfa_token");
        }

        var (login, refusal) = await logins.OpenAsync(http, token, request.ClientId, StatusCodes.Status403Forbidden);
        if (login is null)
        {
            return refusal!;
        }

        var (secretName, secret) = request.GrantType switch
        {
            MfaGrantTypes.Otp => ("otp", request.GetParameter("otp")?.ToString()),
            MfaGrantTypes.RecoveryCode => ("recovery_code", request.GetParameter("recovery_code")?.ToString()),
            _ => ("binding_code", request.GetParameter("binding_code")?.ToString()),
        };
        var (factor, enrolling, problem) = await ChooseAsync(http, request, login, secret);
        if (factor is null)
        {
            return problem!;
        }

        // Only a push (an oob code without a binding method) is answered with nothing typed, and nothing typed is read.
        var typed = factor.Api!.AuthenticatorType != "oob" || login.Login.Oob?.BindingMethod is not null;
        if (!typed)
        {
            secret = null;
        }
        else if (string.IsNullOrEmpty(secret))
        {
            return MfaApiErrors.Missing(secretName);
        }

        var ip = http.Connection.RemoteIpAddress?.ToString();
        if (typed && !await attempts.TryTakeAsync(login.User.Id, http.RequestAborted))
        {
            logger.TooManyAttempts(login.User.Id, login.User.TenantId, ip);
            RulesMfaMetrics.MfaAttemptsExhausted(login.User.TenantId);
            return MfaApiErrors.TooManyAttempts(await attempts.RetryAfterAsync(login.User.Id, http.RequestAborted) ?? TimeSpan.FromMinutes(6));
        }

        var step = login.Step(http, (await branding.ForAsync(http)).Name, logger);
        var result = await factor.Api!.VerifyAsync(step, secret ?? "", enrolling, http.RequestAborted);
        switch (result)
        {
            case FactorResult.Passed passed:
                if (typed)
                {
                    await attempts.RefundAsync(login.User.Id, http.RequestAborted);
                }

                return await PassedAsync(http, request, token, login, factor, enrolling, passed);
            case FactorResult.Failed failed:
                logger.MfaFailed(login.User.Id, login.User.TenantId, factor.Type, ip);
                RulesMfaMetrics.MfaFailed(login.User.TenantId, factor.Type);
                if (!typed)
                {
                    // Nothing typed: the user rejected a push ("MFA Authorization rejected."), or it is over.
                    return MfaApiErrors.Error(StatusCodes.Status400BadRequest, Errors.AccessDenied, failed.Message);
                }

                return MfaApiErrors.Error(StatusCodes.Status403Forbidden, Errors.InvalidGrant, request.GrantType switch
                {
                    MfaGrantTypes.Otp => MfaApiErrors.InvalidOtp,
                    MfaGrantTypes.RecoveryCode => MfaApiErrors.InvalidRecoveryCode,
                    _ => MfaApiErrors.InvalidBindingCode,
                });
            default:
                return await PendingAsync(http, login);
        }
    }

    /// <summary>
    /// The factor this grant checks, when the current step offers it: the authenticator app or the recovery code by the grant
    /// type, an out-of-band factor by the <c>oob_code</c> this login handed out. Otherwise the answer that refuses it.
    /// </summary>
    private async Task<(IMfaFactor? Factor, bool Enrolling, IResult? Problem)> ChooseAsync(HttpContext http, OpenIddictRequest request, OpenMfaLogin login, string? secret)
    {
        var transaction = login.Transaction;
        var type = MfaGrantTypes.AuthenticatorTypeOf(request.GrantType);
        IMfaFactor? factor;
        if (type == "oob")
        {
            var oobCode = request.GetParameter("oob_code")?.ToString();
            if (string.IsNullOrEmpty(oobCode))
            {
                return (null, false, MfaApiErrors.Missing("oob_code"));
            }

            if (login.Login.Oob is not { } oob || oob.CodeHash != MfaTokens.Hash(oobCode))
            {
                return (null, false, MfaApiErrors.Error(StatusCodes.Status403Forbidden, Errors.InvalidGrant, "Invalid oob_code."));
            }

            factor = factors.Find(oob.Factor);
            if (oob.Enrolling != transaction.Enroll)
            {
                factor = null;
            }
        }
        else
        {
            factor = login.Offered(factors).FirstOrDefault(offered => offered.Api!.AuthenticatorType == type);
        }

        if (factor is null || !login.Offered(factors).Contains(factor) || transaction.Completed)
        {
            var why = $"This sign-in does not accept {(factor ?? factors.Find(type))?.DisplayName.ToLowerInvariant() ?? "this factor"} now.";
            logger.FactorRefused(login.User.Id, login.User.TenantId, factor?.Type ?? type ?? "", http.Connection.RemoteIpAddress?.ToString(), why);
            return (null, false, MfaApiErrors.Forbidden(why));
        }

        // Checked again at the confirmation: a factor may have been added since the enrollment started.
        if (transaction.Enroll && transaction.ProvedWith is null && await enrolledFactors.AnyConfirmedAsync(login.User.Id, http.RequestAborted))
        {
            logger.FactorRefused(login.User.Id, login.User.TenantId, factor.Type, http.Connection.RemoteIpAddress?.ToString(), MfaApiErrors.AlreadyEnrolled);
            return (null, false, MfaApiErrors.Forbidden(MfaApiErrors.AlreadyEnrolled));
        }

        return (factor, transaction.Enroll, null);
    }

    private async Task<IResult> PassedAsync(
        HttpContext http, OpenIddictRequest request, string token, OpenMfaLogin login, IMfaFactor factor, bool enrolling, FactorResult.Passed passed)
    {
        var user = login.User;
        var transaction = login.Transaction;
        if (!enrolling && transaction.ThenEnroll.Count > 0)
        {
            // The rules demand an enrollment after the challenge: the same token, now to enroll.
            logger.MfaSucceeded(user.Id, user.TenantId, factor.Type, http.Connection.RemoteIpAddress?.ToString());
            RulesMfaMetrics.MfaSucceeded(user.TenantId, factor.Type);
            var next = transaction.EnrollAfter(passed.Amr);
            return await login.SaveAsync(login.Login with { Transaction = next, Oob = null }, http.RequestAborted)
                ? mfaRequired.Again(token, next)
                : MfaApiErrors.Expired();
        }

        if (!await tokens.CompleteAsync(login.Record, http.RequestAborted))
        {
            return MfaApiErrors.Expired();
        }

        if (enrolling)
        {
            await EnrolledAsync(http, login, factor);
        }

        logger.MfaSucceeded(user.Id, user.TenantId, factor.Type, http.Connection.RemoteIpAddress?.ToString());
        RulesMfaMetrics.MfaSucceeded(user.TenantId, factor.Type);
        logger.GrantSucceeded(user.Id, user.TenantId, request.GrantType!, login.Record.ClientId);
        var methods = (transaction.ProvedWith ?? []).Union(passed.Amr).ToList();
        var session = login.Login.Session.AfterMfa(methods, clock.GetUtcNow());
        return GrantTokens.SignIn(user, session, login.Login.Scopes, transaction.IdTokenClaims, transaction.AccessTokenClaims, login.Login.Audience,
            passed.RecoveryCodeToShow);
    }

    private async Task EnrolledAsync(HttpContext http, OpenMfaLogin login, IMfaFactor factor)
    {
        var user = login.User;
        logger.Enrolled(user.Id, user.TenantId, factor.Type);
        if (login.Login.PendingRecoveryCodeHash is { } hash && await recoveryCodes.ActivateFirstAsync(user.Id, hash, http.RequestAborted))
        {
            logger.RecoveryCodeIssued(user.Id, user.TenantId);
        }

        await notice.SendAsync(user, factor, (await branding.ForAsync(http)).Name, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
    }

    /// <summary>A push not answered yet: <c>authorization_pending</c>, or <c>slow_down</c> when polled sooner than <see cref="MinimumPollInterval"/>.</summary>
    private async Task<IResult> PendingAsync(HttpContext http, OpenMfaLogin login)
    {
        var now = clock.GetUtcNow();
        var oob = login.Login.Oob!;
        var tooSoon = oob.LastPolledAt is { } last && now - last < MinimumPollInterval;
        await login.SaveAsync(login.Login with { Oob = oob with { LastPolledAt = now } }, http.RequestAborted);
        return tooSoon
            ? MfaApiErrors.Error(StatusCodes.Status400BadRequest, "slow_down", $"You are polling faster than allowed: wait {MinimumPollInterval.TotalSeconds} seconds between requests.")
            : MfaApiErrors.Error(StatusCodes.Status400BadRequest, "authorization_pending", MfaApiErrors.Pending);
    }
}
