using Microsoft.AspNetCore.Mvc;
using QRCoder;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Enrollment of a factor the plan allows: an authenticator app (the <c>otpauth://</c> URI as a QR code and as a
/// key to type, confirmed by one valid code) or an email address (confirmed by a code sent there). Enrolling
/// also issues the recovery code, shown once.
/// </summary>
public sealed class EnrollModel(
    RulesMfaDbContext database, TimeProvider clock, TotpService totp, EmailCodes emailCodes, RecoveryCodeService recoveryCodes, TenantBranding branding,
    CodeAttempts attempts, ILogger<EnrollModel> logger)
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

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Factor = "otp";
        if (!await LoadAsync(cancellationToken) || !Transaction.Enroll || !await TakeAttemptAsync(cancellationToken))
        {
            return Page();
        }

        if (await totp.ConfirmAsync(CurrentUser.Id, Code ?? "", cancellationToken) is not TotpVerification.Succeeded)
        {
            Error = "That code is not right. Enter the 6-digit code your authenticator app shows now.";
            return await ShowAsync(cancellationToken);
        }

        return await EnrolledAsync("otp", "otp", cancellationToken);
    }

    public async Task<IActionResult> OnPostStartEmailAsync(CancellationToken cancellationToken)
    {
        Factor = "email";
        if (!await LoadAsync(cancellationToken) || !Transaction.Enroll || !Offered.Contains("email"))
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
        Factor = "email";
        if (!await LoadAsync(cancellationToken) || !Transaction.Enroll || !await TakeAttemptAsync(cancellationToken))
        {
            return Page();
        }

        if (!await emailCodes.ConfirmEnrollmentAsync(CurrentUser.Id, Code ?? "", cancellationToken))
        {
            Error = "That code is not right, or it has expired. Enter the latest code we emailed you.";
            EmailSent = true;
            return await ShowAsync(cancellationToken);
        }

        return await EnrolledAsync("email", "mfa", cancellationToken);
    }

    private async Task<IActionResult> EnrolledAsync(string factor, string method, CancellationToken cancellationToken)
    {
        await RefundAttemptAsync(cancellationToken);
        NewRecoveryCode = await recoveryCodes.IssueAsync(CurrentUser.Id, cancellationToken);
        await CompleteAsync(method);
        logger.Enrolled(CurrentUser.Id, CurrentUser.TenantId, factor);
        logger.RecoveryCodeIssued(CurrentUser.Id, CurrentUser.TenantId);
        logger.MfaSucceeded(CurrentUser.Id, CurrentUser.TenantId, factor, ClientIp);
        return Page();
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (CurrentFactor == "otp")
        {
            var (_, secret) = await totp.PendingEnrollmentAsync(CurrentUser.Id, cancellationToken);
            Issuer = (await branding.ForAsync(HttpContext)).Name.Replace(":", "");
            var uri = TotpFactor.EnrollmentUri(secret, CurrentUser.Email, Issuer);
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
            SecretKey = string.Join(' ', secret.Base32.Chunk(4).Select(group => new string(group)));
        }
        else if (CurrentFactor == "email")
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
