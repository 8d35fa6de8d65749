using Microsoft.AspNetCore.Mvc;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Audit;

namespace RulesMfa.Host.Mfa;

/// <summary>The MFA challenge: a code from the authenticator app, or the recovery code when the device is lost.</summary>
public sealed class ChallengeModel(
    RulesMfaDbContext database, TimeProvider clock, TotpService totp, RecoveryCodeService recoveryCodes, CodeAttempts attempts,
    RememberedBrowsers rememberedBrowsers, ILogger<ChallengeModel> logger)
    : MfaPageModel(database, clock, attempts, logger)
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? RecoveryCode { get; set; }

    [BindProperty]
    public bool RememberBrowser { get; set; }

    public bool RecoveryCodeAllowed => Transaction?.RecoveryCodeAllowed == true;

    public bool RememberBrowserAllowed => Transaction?.RememberBrowserAllowed == true;

    public bool Ready { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        if (Transaction.Enroll)
        {
            return RedirectToPage("/Mfa/Enroll", new { ReturnUrl });
        }

        Ready = Transaction.Factors.Contains("otp");
        Error = Ready ? null : $"This sign-in needs {string.Join(" or ", Transaction.Factors)}, which this server cannot offer yet. Contact your administrator.";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        Ready = true;
        if (!await TakeAttemptAsync(cancellationToken))
        {
            return Page();
        }

        var result = await totp.VerifyAsync(CurrentUser.Id, Code ?? "", cancellationToken);
        switch (result)
        {
            case TotpVerification.Succeeded:
                await RefundAttemptAsync(cancellationToken);
                await CompleteAsync("otp");
                if (RememberBrowser && RememberBrowserAllowed)
                {
                    await RememberThisBrowserAsync(cancellationToken);
                }

                logger.MfaSucceeded(CurrentUser.Id, CurrentUser.TenantId, "otp", ClientIp);
                return LocalRedirect(ContinueUrl);
            case TotpVerification.Replayed:
                logger.ReplayRefused(CurrentUser.Id, CurrentUser.TenantId, ClientIp);
                Error = "This code was already used. Wait for the next code in your app and enter it.";
                return Page();
            default:
                logger.MfaFailed(CurrentUser.Id, CurrentUser.TenantId, "otp", ClientIp);
                Error = "That code is not right. Enter the 6-digit code your authenticator app shows now.";
                return Page();
        }
    }

    public async Task<IActionResult> OnPostRecoveryAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        Ready = true;
        if (!await TakeAttemptAsync(cancellationToken))
        {
            return Page();
        }

        if (!RecoveryCodeAllowed || !await recoveryCodes.RedeemAsync(CurrentUser.Id, RecoveryCode ?? "", cancellationToken))
        {
            logger.MfaFailed(CurrentUser.Id, CurrentUser.TenantId, "recovery-code", ClientIp);
            Error = "That recovery code is not right.";
            return Page();
        }

        await RefundAttemptAsync(cancellationToken);
        NewRecoveryCode = await recoveryCodes.IssueAsync(CurrentUser.Id, cancellationToken);
        await CompleteAsync("mfa");
        logger.RecoveryCodeUsed(CurrentUser.Id, CurrentUser.TenantId, ClientIp);
        logger.RecoveryCodeIssued(CurrentUser.Id, CurrentUser.TenantId);
        return Page();
    }

    private async Task RememberThisBrowserAsync(CancellationToken cancellationToken)
    {
        var token = await rememberedBrowsers.RememberAsync(CurrentUser.Id, cancellationToken);
        Response.Cookies.Append(RememberedBrowsers.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = Request.IsHttps,
            Path = Request.PathBase.HasValue ? Request.PathBase.Value : "/",
            Expires = DateTimeOffset.UtcNow + RememberedBrowsers.Lifetime,
        });
    }
}
