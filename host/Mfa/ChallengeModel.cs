using Microsoft.AspNetCore.Mvc;
using RulesMfa.Engine.Factors;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// The MFA challenge: the most secure allowed and enrolled factor first, "try another method" for the others,
/// and the recovery code when the device is lost. Each handler accepts only a factor of the current plan, and a code
/// is checked only while the user has attempts left. Passing the challenge completes MFA, or moves on to the
/// enrollment the plan asks for next.
/// </summary>
public sealed class ChallengeModel(
    RulesMfaDbContext database, TimeProvider clock, TotpService totp, EmailCodes emailCodes, RecoveryCodeService recoveryCodes, CodeAttempts attempts,
    RememberedBrowsers rememberedBrowsers, RememberedBrowserCookie rememberedBrowserCookie, ILogger<ChallengeModel> logger)
    : MfaPageModel(database, clock, attempts, logger)
{
    private const string RecoveryCodeFactor = FactorType.RecoveryCode;

    [BindProperty(SupportsGet = true)]
    public string? Factor { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? RecoveryCode { get; set; }

    [BindProperty]
    public bool RememberBrowser { get; set; }

    public bool Ready { get; private set; }

    public string? MaskedEmail { get; private set; }

    public string CurrentFactor => Factor == RecoveryCodeFactor && RecoveryCodeAllowed ? RecoveryCodeFactor
        : Factor is not null && Offered.Contains(Factor) ? Factor
        : Offered.FirstOrDefault() ?? "";

    public bool RecoveryCodeAllowed => Transaction?.RecoveryCodeAllowed == true;

    public bool RememberBrowserAllowed => Transaction?.RememberBrowserAllowed == true;

    public static string FactorName(string factor) => factor switch
    {
        FactorType.Otp => "Authenticator app",
        FactorType.Email => "Email",
        RecoveryCodeFactor => "Recovery code",
        _ => factor,
    };

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

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || !Accepts(FactorType.Otp) || !await StartAttemptAsync(cancellationToken))
        {
            return await ShowAsync(cancellationToken);
        }

        var result = await totp.VerifyAsync(CurrentUser.Id, Code ?? "", cancellationToken);
        switch (result)
        {
            case TotpVerification.Succeeded:
                return await SucceedAsync("otp", "otp", cancellationToken);
            case TotpVerification.Replayed:
                logger.ReplayRefused(CurrentUser.Id, CurrentUser.TenantId, ClientIp);
                Error = "This code was already used. Wait for the next code in your app and enter it.";
                break;
            default:
                logger.MfaFailed(CurrentUser.Id, CurrentUser.TenantId, "otp", ClientIp);
                Error = "That code is not right. Enter the 6-digit code your authenticator app shows now.";
                break;
        }

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostSendEmailAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        Factor = "email";
        var address = Accepts(FactorType.Email) ? await AddressAsync(cancellationToken) : null;
        if (address is null)
        {
            return await ShowAsync(cancellationToken);
        }

        RecordEmailSent(await emailCodes.SendAsync(CurrentUser.Id, address, EmailCodes.SignInPurpose, cancellationToken));
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostEmailAsync(CancellationToken cancellationToken)
    {
        Factor = "email";
        if (!await LoadAsync(cancellationToken) || !Accepts(FactorType.Email) || !await StartAttemptAsync(cancellationToken))
        {
            return await ShowAsync(cancellationToken);
        }

        if (await emailCodes.VerifyAsync(CurrentUser.Id, Code ?? "", cancellationToken))
        {
            return await SucceedAsync("email", "mfa", cancellationToken);
        }

        logger.MfaFailed(CurrentUser.Id, CurrentUser.TenantId, "email", ClientIp);
        Error = "That code is not right, or it has expired. Enter the latest code we emailed you.";
        EmailSent = true;
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRecoveryAsync(CancellationToken cancellationToken)
    {
        Factor = RecoveryCodeFactor;
        if (!await LoadAsync(cancellationToken) || !Accepts(RecoveryCodeFactor) || !await StartAttemptAsync(cancellationToken))
        {
            return await ShowAsync(cancellationToken);
        }

        if (!await recoveryCodes.RedeemAsync(CurrentUser.Id, RecoveryCode ?? "", cancellationToken))
        {
            logger.MfaFailed(CurrentUser.Id, CurrentUser.TenantId, RecoveryCodeFactor, ClientIp);
            Error = "That recovery code is not right.";
            return await ShowAsync(cancellationToken);
        }

        await RefundAttemptAsync(cancellationToken);
        NewRecoveryCode = await recoveryCodes.IssueAsync(CurrentUser.Id, cancellationToken);
        await PassedChallengeAsync("mfa");
        logger.RecoveryCodeUsed(CurrentUser.Id, CurrentUser.TenantId, ClientIp);
        logger.RecoveryCodeIssued(CurrentUser.Id, CurrentUser.TenantId);
        return Page();
    }

    /// <summary>
    /// True when the current step is this challenge (not yet passed) and offers <paramref name="factor"/>; otherwise the
    /// page says so and nothing is checked or sent.
    /// </summary>
    private bool Accepts(string factor)
    {
        Ready = true;
        var offered = factor == RecoveryCodeFactor ? RecoveryCodeAllowed : Offered.Contains(factor);
        if (!Transaction.Enroll && !Transaction.Completed && offered)
        {
            return true;
        }

        Refuse(factor, $"This sign-in does not accept a code of this kind ({FactorName(factor).ToLowerInvariant()}). Use one of the ways shown on this page.");
        return false;
    }

    private async Task<bool> StartAttemptAsync(CancellationToken cancellationToken)
    {
        Ready = true;
        return await TakeAttemptAsync(cancellationToken);
    }

    private async Task<IActionResult> SucceedAsync(string factor, string method, CancellationToken cancellationToken)
    {
        await RefundAttemptAsync(cancellationToken);
        var completed = await PassedChallengeAsync(method);
        logger.MfaSucceeded(CurrentUser.Id, CurrentUser.TenantId, factor, ClientIp);
        if (!completed)
        {
            return LocalRedirect(ContinueUrl);
        }

        if (RememberBrowser && RememberBrowserAllowed)
        {
            await RememberThisBrowserAsync(cancellationToken);
        }

        return LocalRedirect(ContinueUrl);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (Transaction is null)
        {
            return Page();
        }

        Ready = true;
        if (CurrentFactor == "email")
        {
            MaskedEmail = Mask(await AddressAsync(cancellationToken));
        }

        if (CurrentFactor.Length == 0)
        {
            Ready = false;
            Error ??= $"This sign-in needs {string.Join(" or ", Transaction.Factors)}, which this server cannot offer yet. Contact your administrator.";
        }

        return Page();
    }

    /// <summary>Where email codes go: the address confirmed by a code, else the verified account email.</summary>
    private async Task<string?> AddressAsync(CancellationToken cancellationToken) =>
        await emailCodes.ConfirmedAddressAsync(CurrentUser.Id, cancellationToken) ?? (CurrentUser.EmailVerified ? CurrentUser.Email : null);

    private static string? Mask(string? address)
    {
        if (address is null || address.IndexOf('@') is var at && at < 1)
        {
            return address;
        }

        return address[0] + new string('*', Math.Max(1, at - 1)) + address[at..];
    }

    private async Task RememberThisBrowserAsync(CancellationToken cancellationToken) =>
        rememberedBrowserCookie.Write(HttpContext,
            await rememberedBrowsers.RememberAsync(CurrentUser.Id, TimeSpan.FromDays(RememberBrowserDays), cancellationToken), TimeSpan.FromDays(RememberBrowserDays));
}
