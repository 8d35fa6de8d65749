using Microsoft.AspNetCore.Mvc;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>The MFA challenge: a code from the authenticator app, or the recovery code when the device is lost.</summary>
public sealed class ChallengeModel(RulesMfaDbContext database, TimeProvider clock, TotpService totp, RecoveryCodeService recoveryCodes, ILogger<ChallengeModel> logger)
    : MfaPageModel(database, clock)
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? RecoveryCode { get; set; }

    public bool RecoveryCodeAllowed => Transaction?.RecoveryCodeAllowed == true;

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
        var result = await totp.VerifyAsync(CurrentUser.Id, Code ?? "", cancellationToken);
        switch (result)
        {
            case TotpVerification.Succeeded:
                await CompleteAsync("otp");
                logger.LogInformation("User {UserId} passed an authenticator-app challenge", CurrentUser.Id);
                return LocalRedirect(ContinueUrl);
            case TotpVerification.Replayed:
                logger.LogWarning("User {UserId} sent an authenticator code that was already used", CurrentUser.Id);
                Error = "This code was already used. Wait for the next code in your app and enter it.";
                return Page();
            default:
                logger.LogInformation("User {UserId} sent a wrong authenticator code", CurrentUser.Id);
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
        if (!RecoveryCodeAllowed || !await recoveryCodes.RedeemAsync(CurrentUser.Id, RecoveryCode ?? "", cancellationToken))
        {
            logger.LogInformation("User {UserId} sent a wrong recovery code", CurrentUser.Id);
            Error = "That recovery code is not right.";
            return Page();
        }

        NewRecoveryCode = await recoveryCodes.IssueAsync(CurrentUser.Id, cancellationToken);
        await CompleteAsync("mfa");
        logger.LogInformation("User {UserId} used a recovery code; a new one was issued", CurrentUser.Id);
        return Page();
    }
}
