using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// Push in the MFA API, as Auth0's <c>oob</c> authenticator on the <c>auth0</c> channel: ids <c>push|dev_…</c> (the device's
/// enrollment id). <c>associate</c> answers the Guardian enrollment URI as the <c>barcode_uri</c>; <c>challenge</c> sends a
/// request to the device and answers the digits to match (<c>rulesmfa_digits</c>); the <c>mfa-oob</c> grant, polled with the
/// <c>oob_code</c> alone, is pending until the device enrolled or answered, then passes (an approval is used once) or is
/// refused ("MFA Authorization rejected."). The limits are the pages' (<see cref="PushRequestBucket"/>, 5-minute tickets and requests).
/// </summary>
internal sealed class PushApi : IMfaApiFactor
{
    private const string IdPrefix = "push|";
    private const string Channel = "auth0";
    private const string TicketKey = "push.api.ticket";
    private const string TransactionKey = "push.api.tx";
    private const string ApprovalAmr = "swk";

    public string AuthenticatorType => "oob";

    public IReadOnlyList<string> OobChannels { get; } = [Channel];

    public async Task<IReadOnlyList<MfaApiAuthenticator>> AuthenticatorsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken) =>
        (await database.Set<PushDeviceRecord>().AsNoTracking().Where(device => device.UserId == user.Id && device.Confirmed)
            .Select(device => new { device.EnrollmentId, device.Name }).ToListAsync(cancellationToken))
        .Select(device => new MfaApiAuthenticator(IdPrefix + device.EnrollmentId, Active: true, Channel, device.Name)).ToList();

    public async Task<bool> RemoveAsync(RulesMfaDbContext database, UserRecord user, string id, CancellationToken cancellationToken)
    {
        if (!id.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var enrollmentId = id[IdPrefix.Length..];
        var devices = database.Set<PushDeviceRecord>().Where(device => device.EnrollmentId == enrollmentId && device.UserId == user.Id && device.Confirmed);
        await database.Set<PushTransactionRecord>().Where(request => devices.Select(device => device.Id).Contains(request.DeviceId)).ExecuteDeleteAsync(cancellationToken);
        return await devices.ExecuteDeleteAsync(cancellationToken) == 1;
    }

    public async Task<MfaApiAssociation> AssociateAsync(FactorStep step, MfaApiRequest request, CancellationToken cancellationToken)
    {
        var baseUrl = step.PublicBaseUrl;
        var (id, ticket, enrollmentId, secret) = await step.Services.GetRequiredService<PushTickets>().StartAsync(step.User.Id, baseUrl, cancellationToken);
        await step.SaveStateAsync(TicketKey, id.ToString(CultureInfo.InvariantCulture));
        return new MfaApiAssociation.Oob(Channel, BindingMethod: null, PushFactor.EnrollmentUri(step, secret, ticket, enrollmentId, baseUrl));
    }

    public async Task<MfaApiChallenge> ChallengeAsync(FactorStep step, string? authenticatorId, CancellationToken cancellationToken)
    {
        var sent = await step.Services.GetRequiredService<PushTransactions>()
            .SendAsync(step.User.Id, await PushFactor.ApplicationAsync(step, cancellationToken), step.ClientIp, PushFactor.Location(step), cancellationToken);
        switch (sent)
        {
            case PushSend.Sent request:
                await step.SaveStateAsync(TransactionKey, request.Transaction.Id.ToString(CultureInfo.InvariantCulture));
                step.Logger.PushSent(request.Transaction.PublicId, request.Device.EnrollmentId, step.User.Id, step.User.TenantId);
                return new MfaApiChallenge.Ready(Oob: true, BindingMethod: null, request.Transaction.Digits);
            case PushSend.TooMany:
                step.Logger.PushTooMany(step.User.Id, step.User.TenantId, step.ClientIp);
                return new MfaApiChallenge.Refused(
                    $"Too many push requests: at most {PushRequestBucket.Burst} at once and {PushRequestBucket.Burst} a minute. Wait a minute and try again.", TooMany: true);
            default:
                return new MfaApiChallenge.Refused("This account has no device for push notifications.");
        }
    }

    /// <summary>Nothing is typed for a push: <paramref name="secret"/> is empty; the device's enrollment or answer decides.</summary>
    public Task<FactorResult> VerifyAsync(FactorStep step, string secret, bool enrolling, CancellationToken cancellationToken) =>
        enrolling ? EnrolledAsync(step, cancellationToken) : ApprovedAsync(step, cancellationToken);

    private static async Task<FactorResult> EnrolledAsync(FactorStep step, CancellationToken cancellationToken)
    {
        var tickets = step.Services.GetRequiredService<PushTickets>();
        if (Id(step, TicketKey) is not { } ticket)
        {
            return new FactorResult.Failed(Over);
        }

        if (await tickets.ConfirmAsync(step.User.Id, ticket, cancellationToken))
        {
            return new FactorResult.Passed([ApprovalAmr]);
        }

        // The loser of two confirmations at once finds the device confirmed: telling it to start again would be wrong.
        return await tickets.StateAsync(step.User.Id, ticket, cancellationToken) == "pending" ? new FactorResult.Pending(null)
            : await tickets.ConfirmedAsync(step.User.Id, ticket, cancellationToken) ? new FactorResult.Failed(ConfirmedElsewhere)
            : new FactorResult.Failed("This enrollment is over (its code lasts 5 minutes and enrolls one device): start a new one (POST /mfa/associate).");
    }

    private static async Task<FactorResult> ApprovedAsync(FactorStep step, CancellationToken cancellationToken)
    {
        var transactions = step.Services.GetRequiredService<PushTransactions>();
        if (Id(step, TransactionKey) is not { } id)
        {
            return new FactorResult.Failed(Over);
        }

        return await transactions.StateAsync(step.User.Id, id, cancellationToken) switch
        {
            PushTransactionState.Pending => new FactorResult.Pending(null),
            PushTransactionState.Accepted when await transactions.UseApprovalAsync(step.User.Id, id, cancellationToken) => new FactorResult.Passed([ApprovalAmr]),
            PushTransactionState.Rejected or PushTransactionState.WrongDigits => new FactorResult.Failed(MfaApiErrors.Rejected),
            _ => new FactorResult.Failed(Over),
        };
    }

    private const string ConfirmedElsewhere = "This push enrollment was confirmed by another request at the same time: use the tokens that request received.";

    private const string Over = "This push request is over (it expired or was used): ask for a new one (POST /mfa/challenge).";

    private static long? Id(FactorStep step, string key) => long.TryParse(step.State(key), CultureInfo.InvariantCulture, out var id) ? id : null;
}
