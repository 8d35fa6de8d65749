using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Email;

/// <summary>
/// Codes by email (<see cref="EmailCodes"/>): enrolled by confirming an address with a code sent there; challenged with a
/// code sent to the confirmed address, else the verified account email (which counts only next to another factor, as at
/// Auth0). Its own audit event: <c>mfa.challenge-sent</c>. <c>amr</c>: none beyond <c>mfa</c> (RFC 8176 has no value for
/// a code by email).
/// </summary>
public sealed class EmailFactor : IMfaFactor, IFactorServices
{
    private const string SendAction = "send";
    private const string VerifyAction = "verify";
    private const string WrongCode = "That code is not right, or it has expired. Enter the latest code we emailed you.";

    public string Type => FactorType.Email;

    public IReadOnlyList<string> AmrValues { get; } = [];

    public string ChallengePart => "/Factors/Email/_Challenge.cshtml";

    public string? EnrollPart => "/Factors/Email/_Enroll.cshtml";

    public string RemovedNoun => "email factor(s)";

    public static void AddServices(IServiceCollection services) => services.AddScoped<EmailCodes>();

    public async Task<IReadOnlyList<FactorEnrollment>> EnrollmentsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken)
    {
        if (await database.EmailFactors.AnyAsync(email => email.UserId == user.Id && email.Confirmed, cancellationToken))
        {
            return [new FactorEnrollment(Type)];
        }

        return user.EmailVerified ? [new FactorEnrollment(Type, Standalone: false)] : [];
    }

    public async Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken)
    {
        var removed = await database.EmailFactors.Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await database.EmailCodes.Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        return removed;
    }

    public FactorActions ChallengeActions { get; } = FactorActions.Of([VerifyAction], SendAction);

    public FactorActions EnrollActions => ChallengeActions;

    public async Task<object?> PrepareChallengeAsync(FactorStep step, object? state, CancellationToken cancellationToken) =>
        new EmailView(state is EmailView { CodeSent: true }, Mask(await AddressAsync(step, cancellationToken)));

    public async Task<FactorResult> ChallengeAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        var codes = step.Services.GetRequiredService<EmailCodes>();
        if (action == SendAction)
        {
            return await AddressAsync(step, cancellationToken) is { } address
                ? Sent(step, await codes.SendAsync(step.User.Id, address, EmailCodes.SignInPurpose, cancellationToken))
                : new FactorResult.Pending("This account has no email address to send a code to.");
        }

        return await codes.VerifyAsync(step.User.Id, step.Form("Code") ?? "", cancellationToken)
            ? new FactorResult.Passed(AmrValues)
            : new FactorResult.Failed(WrongCode, new EmailView(CodeSent: true, null));
    }

    public Task<object?> PrepareEnrollAsync(FactorStep step, object? state, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(state as EmailView ?? new EmailView(CodeSent: false, step.User.Email));

    public async Task<FactorResult> EnrollAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        var codes = step.Services.GetRequiredService<EmailCodes>();
        if (action == SendAction)
        {
            var address = step.Form("Address")?.Trim() ?? "";
            if (!IsAddress(address))
            {
                return new FactorResult.Pending("Enter an email address such as name@example.com.", new EmailView(CodeSent: false, address));
            }

            return Sent(step, (await codes.StartEnrollmentAsync(step.User.Id, address, cancellationToken)).Result);
        }

        return await codes.ConfirmEnrollmentAsync(step.User.Id, step.Form("Code") ?? "", cancellationToken)
            ? new FactorResult.Passed(AmrValues)
            : new FactorResult.Failed(WrongCode, new EmailView(CodeSent: true, null));
    }

    public MfaApi.IMfaApiFactor? Api { get; } = new EmailApi();

    /// <summary>True for something shaped like an address: text, an @, more text, 254 characters at most.</summary>
    internal static bool IsAddress(string address) => address.Length <= 254 && address.IndexOf('@') is var at && at >= 1 && at < address.Length - 1;

    private static FactorResult Sent(FactorStep step, EmailSendResult result)
    {
        if (result is not EmailSendResult.Sent)
        {
            return new FactorResult.Pending("Too many codes were sent. Wait a while and try again.");
        }

        step.Logger.ChallengeSent(step.User.Id, step.User.TenantId, FactorType.Email);
        return new FactorResult.Pending(null, new EmailView(CodeSent: true, null));
    }

    /// <summary>Where sign-in codes go: the address confirmed by a code, else the verified account email.</summary>
    internal static async Task<string?> AddressAsync(FactorStep step, CancellationToken cancellationToken) =>
        await step.Services.GetRequiredService<EmailCodes>().ConfirmedAddressAsync(step.User.Id, cancellationToken)
        ?? (step.User.EmailVerified ? step.User.Email : null);

    internal static string? Mask(string? address)
    {
        if (address is null || address.IndexOf('@') is var at && at < 1)
        {
            return address;
        }

        return address[0] + new string('*', Math.Max(1, at - 1)) + address[at..];
    }
}
