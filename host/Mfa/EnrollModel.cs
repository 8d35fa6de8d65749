using Microsoft.AspNetCore.Mvc;
using QRCoder;
using RulesMfa.Engine.Factors;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Enrollment of a factor the plan allows: an authenticator app (the <c>otpauth://</c> URI as a QR code and as a
/// key to type, confirmed by one valid code) or an email address (confirmed by a code sent there). A user's first
/// enrollment also issues the recovery code, shown once; a later one keeps it. A user who already has a factor
/// enrolls only after passing one of theirs in this transaction, and the account's owner is told by email.
/// </summary>
public sealed class EnrollModel(
    RulesMfaDbContext database, TimeProvider clock, TotpService totp, EmailCodes emailCodes, RecoveryCodeService recoveryCodes, TenantBranding branding,
    CodeAttempts attempts, EnrolledFactors enrolledFactors, FactorAddedNotice notice, ILogger<EnrollModel> logger)
    : MfaPageModel(database, clock, attempts, logger)
{
    [BindProperty(SupportsGet = true)]
    public string? Factor { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    public string? SecretKey { get; private set; }

    public string? QrCodeDataUri { get; private set; }

    /// <summary>The name the authenticator app lists the account under: the tenant's friendly name.</summary>
    public string? Issuer { get; private set; }

    public string CurrentFactor => Factor is not null && Offered.Contains(Factor) ? Factor : Offered.FirstOrDefault() ?? "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Page();
        }

        if (!Transaction.Enroll)
        {
            return RedirectToPage("/Mfa/Challenge", new { ReturnUrl });
        }

        return CurrentFactor.Length == 0 || await AcceptsAsync(CurrentFactor, cancellationToken) ? await ShowAsync(cancellationToken) : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Factor = FactorType.Otp;
        if (!await LoadAsync(cancellationToken) || !await AcceptsAsync(FactorType.Otp, cancellationToken) || !await TakeAttemptAsync(cancellationToken))
        {
            return Page();
        }

        var confirmed = Transaction.PendingTotpId is { } pending ? await totp.ConfirmAsync(CurrentUser.Id, pending, Code ?? "", cancellationToken) : null;
        if (confirmed is not TotpVerification.Succeeded)
        {
            Error = confirmed is null
                ? "This setup was started again in another window. Add the account below to your app and enter its code."
                : "That code is not right. Enter the 6-digit code your authenticator app shows now.";
            return await ShowAsync(cancellationToken);
        }

        return await EnrolledAsync(FactorType.Otp, "otp", cancellationToken);
    }

    public async Task<IActionResult> OnPostStartEmailAsync(CancellationToken cancellationToken)
    {
        Factor = FactorType.Email;
        if (!await LoadAsync(cancellationToken) || !await AcceptsAsync(FactorType.Email, cancellationToken))
        {
            return Page();
        }

        var address = Address?.Trim() ?? "";
        if (address.Length > 254 || address.IndexOf('@') is var at && (at < 1 || at == address.Length - 1))
        {
            Error = "Enter an email address such as name@example.com.";
            return await ShowAsync(cancellationToken);
        }

        RecordEmailSent((await emailCodes.StartEnrollmentAsync(CurrentUser.Id, address, cancellationToken)).Result);
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostConfirmEmailAsync(CancellationToken cancellationToken)
    {
        Factor = FactorType.Email;
        if (!await LoadAsync(cancellationToken) || !await AcceptsAsync(FactorType.Email, cancellationToken) || !await TakeAttemptAsync(cancellationToken))
        {
            return Page();
        }

        if (!await emailCodes.ConfirmEnrollmentAsync(CurrentUser.Id, Code ?? "", cancellationToken))
        {
            Error = "That code is not right, or it has expired. Enter the latest code we emailed you.";
            EmailSent = true;
            return await ShowAsync(cancellationToken);
        }

        return await EnrolledAsync(FactorType.Email, "mfa", cancellationToken);
    }

    /// <summary>
    /// True when the current step is an enrollment (not yet done) offering <paramref name="factor"/>, and the user either
    /// has no factor or passed one in this transaction: checked again here, since a factor may have been added since
    /// the plan was made. Otherwise the page says why and nothing is shown, sent or saved.
    /// </summary>
    private async Task<bool> AcceptsAsync(string factor, CancellationToken cancellationToken)
    {
        if (!Transaction.Enroll || Transaction.Completed || !Offered.Contains(factor))
        {
            Refuse(factor, "This sign-in does not offer to set up this factor.");
            return false;
        }

        if (Transaction.ProvedWith is null && await enrolledFactors.AnyConfirmedAsync(CurrentUser.Id, cancellationToken))
        {
            Refuse(factor, "This account already has a way to verify sign-ins. Sign in again and verify with it before you add another.");
            return false;
        }

        return true;
    }

    private async Task<IActionResult> EnrolledAsync(string factor, string method, CancellationToken cancellationToken)
    {
        await RefundAttemptAsync(cancellationToken);
        NewRecoveryCode = await recoveryCodes.IssueFirstAsync(CurrentUser.Id, cancellationToken);
        await CompleteAsync(method);
        logger.Enrolled(CurrentUser.Id, CurrentUser.TenantId, factor);
        if (NewRecoveryCode is not null)
        {
            logger.RecoveryCodeIssued(CurrentUser.Id, CurrentUser.TenantId);
        }

        logger.MfaSucceeded(CurrentUser.Id, CurrentUser.TenantId, factor, ClientIp);
        await notice.SendAsync(CurrentUser, factor, (await branding.ForAsync(HttpContext)).Name, ClientIp, cancellationToken);
        return NewRecoveryCode is null ? LocalRedirect(ContinueUrl) : Page();
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (CurrentFactor == FactorType.Otp)
        {
            var secret = Transaction.PendingTotpId is { } pending ? await totp.PendingSecretAsync(CurrentUser.Id, pending, cancellationToken) : null;
            if (secret is null)
            {
                (var started, secret) = await totp.StartEnrollmentAsync(CurrentUser.Id, cancellationToken);
                await SaveTransactionAsync(Transaction with { PendingTotpId = started });
            }

            Issuer = (await branding.ForAsync(HttpContext)).Name.Replace(":", "");
            var uri = TotpFactor.EnrollmentUri(secret, CurrentUser.Email, Issuer);
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
            SecretKey = string.Join(' ', secret.Base32.Chunk(4).Select(group => new string(group)));
        }
        else if (CurrentFactor == FactorType.Email)
        {
            Address ??= CurrentUser.Email;
        }
        else
        {
            Error ??= $"This sign-in needs {string.Join(" or ", Transaction.Factors)}, which this server cannot offer yet. Contact your administrator.";
        }

        return Page();
    }
}
