using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Factors;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Totp;

/// <summary>
/// An authenticator app (TOTP): enrolled by scanning the <c>otpauth://</c> URI as a QR code (or typing its key) and
/// confirming one code; challenged with the code the app shows. Each transaction gets its own secret. Its own audit
/// event: <c>mfa.replay-refused</c> (a code already used). <c>amr</c>: <c>otp</c>.
/// </summary>
public sealed class OtpFactor : IMfaFactor, IFactorServices
{
    private const string VerifyAction = "verify";
    private const string PendingEnrollmentKey = "otp.pending";
    private const string WrongCode = "That code is not right. Enter the 6-digit code your authenticator app shows now.";

    public string Type => FactorType.Otp;

    private static readonly IReadOnlyList<string> Amr = ["otp"];

    public IReadOnlyList<string> AmrValues => Amr;

    public string ChallengePart => "/Factors/Totp/_Challenge.cshtml";

    public string? EnrollPart => "/Factors/Totp/_Enroll.cshtml";

    public string RemovedNoun => "authenticator app(s)";

    public static void AddServices(IServiceCollection services) => services.AddScoped<TotpService>();

    public async Task<IReadOnlyList<FactorEnrollment>> EnrollmentsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken) =>
        await database.TotpEnrollments.AnyAsync(totp => totp.UserId == user.Id && totp.Confirmed, cancellationToken)
            ? [new FactorEnrollment(Type, Provider: MfaProvider.GoogleAuthenticator)]
            : [];

    public Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken) =>
        database.TotpEnrollments.Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    public FactorActions ChallengeActions { get; } = FactorActions.Of([VerifyAction]);

    public FactorActions EnrollActions => ChallengeActions;

    public Task<object?> PrepareChallengeAsync(FactorStep step, object? state, CancellationToken cancellationToken) => Task.FromResult<object?>(null);

    public MfaApi.IMfaApiFactor? Api { get; } = new OtpApi();

    public Task<FactorResult> ChallengeAsync(FactorStep step, string action, CancellationToken cancellationToken) =>
        VerifyCodeAsync(step, step.Form("Code") ?? "", cancellationToken);

    /// <summary>Checks a code of the user's authenticator app; a code already used is refused and audited.</summary>
    internal static async Task<FactorResult> VerifyCodeAsync(FactorStep step, string code, CancellationToken cancellationToken)
    {
        var result = await step.Services.GetRequiredService<TotpService>().VerifyAsync(step.User.Id, code, cancellationToken);
        switch (result)
        {
            case TotpVerification.Succeeded:
                return new FactorResult.Passed(Amr);
            case TotpVerification.Replayed:
                step.Logger.ReplayRefused(step.User.Id, step.User.TenantId, step.ClientIp);
                return new FactorResult.Failed("This code was already used. Wait for the next code in your app and enter it.");
            default:
                return new FactorResult.Failed(WrongCode);
        }
    }

    public async Task<object?> PrepareEnrollAsync(FactorStep step, object? state, CancellationToken cancellationToken)
    {
        var totp = step.Services.GetRequiredService<TotpService>();
        var secret = PendingId(step) is { } pending ? await totp.PendingSecretAsync(step.User.Id, pending, cancellationToken) : null;
        secret ??= await StartEnrollmentAsync(step, cancellationToken);
        var (issuer, uri) = EnrollmentUri(step, secret);
        return new OtpEnrollmentView(string.Join(' ', secret.Base32.Chunk(4).Select(group => new string(group))), EnrollmentQrCode.DataUri(uri, 5), issuer);
    }

    public Task<FactorResult> EnrollAsync(FactorStep step, string action, CancellationToken cancellationToken) =>
        ConfirmCodeAsync(step, step.Form("Code") ?? "", cancellationToken);

    /// <summary>A new secret for this transaction, replacing any pending one of the user.</summary>
    internal static async Task<TotpSecret> StartEnrollmentAsync(FactorStep step, CancellationToken cancellationToken)
    {
        var (started, secret) = await step.Services.GetRequiredService<TotpService>().StartEnrollmentAsync(step.User.Id, cancellationToken);
        await step.SaveStateAsync(PendingEnrollmentKey, started.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return secret;
    }

    /// <summary>The name the app lists (the tenant's) and the <c>otpauth://</c> URI of <paramref name="secret"/>.</summary>
    internal static (string Issuer, string Uri) EnrollmentUri(FactorStep step, TotpSecret secret)
    {
        var issuer = step.TenantName.Replace(":", "");
        return (issuer, TotpFactor.EnrollmentUri(secret, step.User.Email, issuer));
    }

    /// <summary>Confirms this transaction's pending enrollment with a code of the app.</summary>
    internal static async Task<FactorResult> ConfirmCodeAsync(FactorStep step, string code, CancellationToken cancellationToken)
    {
        var confirmed = PendingId(step) is { } pending
            ? await step.Services.GetRequiredService<TotpService>().ConfirmAsync(step.User.Id, pending, code, cancellationToken)
            : null;
        return confirmed switch
        {
            TotpVerification.Succeeded => new FactorResult.Passed(Amr),
            null => new FactorResult.Failed("This setup was started again in another window. Add the account below to your app and enter its code."),
            _ => new FactorResult.Failed(WrongCode),
        };
    }

    private static long? PendingId(FactorStep step) =>
        long.TryParse(step.State(PendingEnrollmentKey), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
