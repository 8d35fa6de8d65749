using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Email;

/// <summary>
/// Codes by email in the MFA API, as Auth0's <c>oob</c> authenticator on the <c>email</c> channel: ids <c>email|dev_{n}</c>
/// (<c>email|dev_account</c> for the verified account address); <c>associate</c> (optionally with <c>email</c>) and
/// <c>challenge</c> send a code, which the <c>mfa-oob</c> grant takes as the <c>binding_code</c> (<c>binding_method</c>
/// <c>prompt</c>). The limits are the pages' (<see cref="EmailCodes"/>).
/// </summary>
internal sealed class EmailApi : IMfaApiFactor
{
    private const string IdPrefix = "email|dev_";
    private const string AccountId = IdPrefix + "account";
    private const string Channel = "email";
    private const string Prompt = "prompt";

    public string AuthenticatorType => "oob";

    public IReadOnlyList<string> OobChannels { get; } = [Channel];

    public async Task<IReadOnlyList<MfaApiAuthenticator>> AuthenticatorsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken)
    {
        var confirmed = await database.EmailFactors.AsNoTracking().Where(email => email.UserId == user.Id && email.Confirmed)
            .Select(email => new { email.Id, email.Address }).ToListAsync(cancellationToken);
        if (confirmed.Count == 0 && user.EmailVerified)
        {
            return [new MfaApiAuthenticator(AccountId, Active: true, Channel, EmailFactor.Mask(user.Email))];
        }

        return confirmed.Select(email => new MfaApiAuthenticator(IdPrefix + email.Id.ToString(CultureInfo.InvariantCulture), Active: true, Channel, EmailFactor.Mask(email.Address)))
            .ToList();
    }

    public async Task<bool> RemoveAsync(RulesMfaDbContext database, UserRecord user, string id, CancellationToken cancellationToken) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal) && long.TryParse(id[IdPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var recordId)
        && await database.EmailFactors.Where(email => email.Id == recordId && email.UserId == user.Id && email.Confirmed).ExecuteDeleteAsync(cancellationToken) == 1;

    public async Task<MfaApiAssociation> AssociateAsync(FactorStep step, MfaApiRequest request, CancellationToken cancellationToken)
    {
        var address = request.Value("email")?.Trim() ?? step.User.Email;
        if (!EmailFactor.IsAddress(address))
        {
            return new MfaApiAssociation.Refused("email must be an address such as name@example.com.");
        }

        var (_, result) = await step.Services.GetRequiredService<EmailCodes>().StartEnrollmentAsync(step.User.Id, address, cancellationToken);
        return Sent(step, result) ? new MfaApiAssociation.Oob(Channel, Prompt) : new MfaApiAssociation.Refused(TooMany, TooMany: true);
    }

    public async Task<MfaApiChallenge> ChallengeAsync(FactorStep step, string? authenticatorId, CancellationToken cancellationToken)
    {
        if (await EmailFactor.AddressAsync(step, cancellationToken) is not { } address)
        {
            return new MfaApiChallenge.Refused("This account has no email address to send a code to.");
        }

        var result = await step.Services.GetRequiredService<EmailCodes>().SendAsync(step.User.Id, address, EmailCodes.SignInPurpose, cancellationToken);
        return Sent(step, result) ? new MfaApiChallenge.Ready(Oob: true, Prompt) : new MfaApiChallenge.Refused(TooMany, TooMany: true);
    }

    public async Task<FactorResult> VerifyAsync(FactorStep step, string secret, bool enrolling, CancellationToken cancellationToken)
    {
        var codes = step.Services.GetRequiredService<EmailCodes>();
        var right = enrolling
            ? await codes.ConfirmEnrollmentAsync(step.User.Id, secret, cancellationToken)
            : await codes.VerifyAsync(step.User.Id, secret, cancellationToken);
        return right ? new FactorResult.Passed([]) : new FactorResult.Failed(MfaApiErrors.InvalidBindingCode);
    }

    private const string TooMany = "Too many codes were sent. Wait a while and try again.";

    private static bool Sent(FactorStep step, EmailSendResult result)
    {
        if (result is not EmailSendResult.Sent)
        {
            return false;
        }

        step.Logger.ChallengeSent(step.User.Id, step.User.TenantId, FactorType.Email);
        return true;
    }
}
