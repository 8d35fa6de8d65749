using Microsoft.AspNetCore.Mvc;
using QRCoder;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Host.Audit;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Enrollment of an authenticator app: the <c>otpauth://</c> URI as a QR code and as a key to type, confirmed
/// by one valid code. The first enrollment also issues the recovery code, shown once.
/// </summary>
public sealed class EnrollModel(
    RulesMfaDbContext database, TimeProvider clock, TotpService totp, RecoveryCodeService recoveryCodes, TenantBranding branding, CodeAttempts attempts,
    ILogger<EnrollModel> logger)
    : MfaPageModel(database, clock, attempts, logger)
{
    [BindProperty]
    public string? Code { get; set; }

    public string? SecretKey { get; private set; }

    public string? QrCodeDataUri { get; private set; }

    /// <summary>The name the authenticator app lists the account under: the tenant's friendly name.</summary>
    public string? Issuer { get; private set; }

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

        await ShowSecretAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || !Transaction.Enroll)
        {
            return Page();
        }

        if (!await TakeAttemptAsync(cancellationToken))
        {
            return Page();
        }

        var result = await totp.ConfirmAsync(CurrentUser.Id, Code ?? "", cancellationToken);
        if (result is not TotpVerification.Succeeded)
        {
            Error = "That code is not right. Enter the 6-digit code your authenticator app shows now.";
            await ShowSecretAsync(cancellationToken);
            return Page();
        }

        await RefundAttemptAsync(cancellationToken);
        NewRecoveryCode = await recoveryCodes.IssueAsync(CurrentUser.Id, cancellationToken);
        await CompleteAsync("otp");
        logger.Enrolled(CurrentUser.Id, CurrentUser.TenantId, "otp");
        logger.RecoveryCodeIssued(CurrentUser.Id, CurrentUser.TenantId);
        logger.MfaSucceeded(CurrentUser.Id, CurrentUser.TenantId, "otp", ClientIp);
        return Page();
    }

    private async Task ShowSecretAsync(CancellationToken cancellationToken)
    {
        var (_, secret) = await totp.PendingEnrollmentAsync(CurrentUser.Id, cancellationToken);
        Issuer = (await branding.ForAsync(HttpContext)).Name.Replace(":", "");
        var uri = TotpFactor.EnrollmentUri(secret, CurrentUser.Email, Issuer);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
        SecretKey = string.Join(' ', secret.Base32.Chunk(4).Select(group => new string(group)));
    }
}
