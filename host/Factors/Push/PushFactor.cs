using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using RulesMfa.Engine.Factors;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Login;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// Push approval on an enrolled device, with Auth0 Guardian's wire formats (README, "Push devices"). Enrolled by a device
/// that reads the page's enrollment URI and calls the device API with its single-use ticket; the page confirms it once the
/// device has enrolled. Challenged by a request the device approves with a signed answer repeating the two digits the
/// page shows; the page polls the request's state and moves on by itself. The device's TOTP secret signs in offline with a
/// code. Its own audit events: <c>mfa.push-*</c> (<see cref="PushAuditEvents"/>). <c>amr</c>: <c>swk</c> for an approval
/// (a proof of possession of the device's software key, RFC 8176), <c>otp</c> for an offline code.
/// </summary>
public sealed class PushFactor : IMfaFactor, IFactorServices, IFactorEndpoints
{
    private const string SendAction = "send";
    private const string CheckAction = "check";
    private const string CodeAction = "code";
    private const string NewCodeAction = "new";
    private const string ConfirmAction = "confirm";
    private const string TransactionKey = "push.tx";
    private const string TicketKey = "push.ticket";
    private const string UriKey = "push.uri";
    private const string ApprovalAmr = "swk";
    private const string OfflineCodeAmr = "otp";

    public string Type => FactorType.PushNotification;

    public IReadOnlyList<string> AmrValues { get; } = [ApprovalAmr, OfflineCodeAmr];

    public string ChallengePart => "/Factors/Push/_Challenge.cshtml";

    public string? EnrollPart => "/Factors/Push/_Enroll.cshtml";

    public string RemovedNoun => "push device(s)";

    public MfaApi.IMfaApiFactor? Api { get; } = new PushApi();

    public static void AddServices(IServiceCollection services)
    {
        services.AddScoped<PushTickets>();
        services.AddScoped<PushTransactions>();
        services.AddScoped<PushRequestBucket>();
        services.AddSingleton<PushPageState>();
        services.AddSingleton<PushAnswerVerifier>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => PushDeviceApi.Map(endpoints);

    public async Task<IReadOnlyList<FactorEnrollment>> EnrollmentsAsync(RulesMfaDbContext database, UserRecord user, CancellationToken cancellationToken) =>
        await database.Set<PushDeviceRecord>().AnyAsync(record => record.UserId == user.Id && record.Confirmed, cancellationToken)
            ? [new FactorEnrollment(Type, Provider: MfaProvider.Guardian)]
            : [];

    public async Task<int> RemoveAllAsync(RulesMfaDbContext database, string userId, CancellationToken cancellationToken)
    {
        await database.Set<PushTransactionRecord>().Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await database.Set<PushTicketRecord>().Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        return await database.Set<PushDeviceRecord>().Where(record => record.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    public FactorActions ChallengeActions { get; } = FactorActions.Of([CodeAction], SendAction, CheckAction);

    public FactorActions EnrollActions { get; } = FactorActions.Of([], ConfirmAction, NewCodeAction);

    /// <summary>A request goes to the device when the challenge first shows; later views show that request's state.</summary>
    public async Task<object?> PrepareChallengeAsync(FactorStep step, object? state, CancellationToken cancellationToken) =>
        state as PushChallengeView
        ?? (TransactionId(step) is { } id ? await ViewAsync(step, id, cancellationToken) : await SendAsync(step, cancellationToken));

    public async Task<FactorResult> ChallengeAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        var transactions = step.Services.GetRequiredService<PushTransactions>();
        if (action == SendAction)
        {
            return new FactorResult.Pending(null, await SendAsync(step, cancellationToken));
        }

        if (action == CodeAction)
        {
            switch (await transactions.VerifyCodeAsync(step.User.Id, step.Form("Code") ?? "", cancellationToken))
            {
                case TotpVerification.Succeeded:
                    return new FactorResult.Passed([OfflineCodeAmr]);
                case TotpVerification.Replayed:
                    step.Logger.ReplayRefused(step.User.Id, step.User.TenantId, step.ClientIp);
                    return new FactorResult.Failed("This code was already used. Wait for the next code on your device and enter it.");
                default:
                    return new FactorResult.Failed("That code is not right. Enter the 6-digit code your device shows now (rulesmfa device code).");
            }
        }

        if (TransactionId(step) is not { } id)
        {
            return new FactorResult.Pending(null, await SendAsync(step, cancellationToken));
        }

        var view = await ViewAsync(step, id, cancellationToken);
        return view.State switch
        {
            PushTransactionState.Accepted when await transactions.UseApprovalAsync(step.User.Id, id, cancellationToken) => new FactorResult.Passed([ApprovalAmr]),
            PushTransactionState.Rejected => new FactorResult.Failed(
                "You turned down this sign-in on your device. If it was you, send a new request; if not, someone knows your password: change it.", view),
            PushTransactionState.WrongDigits => new FactorResult.Failed(
                "The number entered on your device did not match the one shown here, so that request is over. Send a new one.", view),
            PushTransactionState.Pending => new FactorResult.Pending("Your device has not approved this sign-in yet. Approve it there, then continue.", view),
            _ => new FactorResult.Pending("That request is over (it expired or was used). Send a new one.", view with { State = PushTransactionState.Expired }),
        };
    }

    public async Task<object?> PrepareEnrollAsync(FactorStep step, object? state, CancellationToken cancellationToken)
    {
        if (state is PushEnrollView shown)
        {
            return shown;
        }

        var tickets = step.Services.GetRequiredService<PushTickets>();
        return TicketId(step) is { } ticket && step.State(UriKey) is { } uri && await tickets.StateAsync(step.User.Id, ticket, cancellationToken) == "pending"
            ? EnrollView(step, uri, ticket)
            : await NewTicketAsync(step, cancellationToken);
    }

    public async Task<FactorResult> EnrollAsync(FactorStep step, string action, CancellationToken cancellationToken)
    {
        var tickets = step.Services.GetRequiredService<PushTickets>();
        if (action == NewCodeAction || TicketId(step) is not { } ticket)
        {
            return new FactorResult.Pending(null, await NewTicketAsync(step, cancellationToken));
        }

        if (await tickets.ConfirmAsync(step.User.Id, ticket, cancellationToken))
        {
            return new FactorResult.Passed([ApprovalAmr]);
        }

        return await tickets.StateAsync(step.User.Id, ticket, cancellationToken) == "pending"
            ? new FactorResult.Pending("Your device has not enrolled yet. Scan the code with it (or open the link on it), then continue.")
            : new FactorResult.Pending("That code can no longer be used (codes last 5 minutes and enroll one device). Scan this new one.",
                await NewTicketAsync(step, cancellationToken));
    }

    private static async Task<PushChallengeView> SendAsync(FactorStep step, CancellationToken cancellationToken)
    {
        var location = Location(step);
        var sent = await step.Services.GetRequiredService<PushTransactions>()
            .SendAsync(step.User.Id, await ApplicationAsync(step, cancellationToken), step.ClientIp, location, cancellationToken);
        switch (sent)
        {
            case PushSend.Sent request:
                await step.SaveStateAsync(TransactionKey, request.Transaction.Id.ToString(CultureInfo.InvariantCulture));
                step.Logger.PushSent(request.Transaction.PublicId, request.Device.EnrollmentId, step.User.Id, step.User.TenantId);
                return await ViewAsync(step, request.Transaction.Id, cancellationToken);
            case PushSend.TooMany tooMany:
                step.Logger.PushTooMany(step.User.Id, step.User.TenantId, step.ClientIp);
                var wait = Math.Max(1, (int)Math.Ceiling((tooMany.RetryAt - step.Services.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds));
                return new PushChallengeView("none", null, null, null, null,
                    $"Too many push requests: at most {PushRequestBucket.Burst} at once and {PushRequestBucket.Burst} a minute. Wait {wait} seconds, then send a new one.");
            default:
                return new PushChallengeView("none", null, null, null, null, "This account has no device for push notifications. Use another method.");
        }
    }

    private static async Task<PushChallengeView> ViewAsync(FactorStep step, long id, CancellationToken cancellationToken)
    {
        var transactions = step.Services.GetRequiredService<PushTransactions>();
        var record = await transactions.FindAsync(step.User.Id, id, cancellationToken);
        var device = await transactions.DeviceOfAsync(step.User.Id, cancellationToken);
        var token = step.Services.GetRequiredService<PushPageState>().TokenFor(PushPageState.TransactionKind, step.User.Id, id);
        return new PushChallengeView(await transactions.StateAsync(step.User.Id, id, cancellationToken), record?.Digits, token, device?.Name, record?.Application, null);
    }

    private static async Task<PushEnrollView> NewTicketAsync(FactorStep step, CancellationToken cancellationToken)
    {
        var baseUrl = step.PublicBaseUrl;
        var (id, ticket, enrollmentId, secret) = await step.Services.GetRequiredService<PushTickets>().StartAsync(step.User.Id, baseUrl, cancellationToken);
        var uri = EnrollmentUri(step, secret, ticket, enrollmentId, baseUrl);
        await step.SaveStateAsync(TicketKey, id.ToString(CultureInfo.InvariantCulture));
        await step.SaveStateAsync(UriKey, uri);
        return EnrollView(step, uri, id);
    }

    internal static string EnrollmentUri(FactorStep step, TotpSecret secret, string ticket, string enrollmentId, string baseUrl) =>
        new GuardianEnrollmentUri(step.TenantName.Replace(":", ""), step.User.Email, secret.Base32, ticket, enrollmentId, baseUrl).ToString();

    /// <summary>The push enrollment image's pixels a module (its URI is long: the image stays about 250 pixels wide).</summary>
    internal const int PushQrPixelsPerModule = 4;

    private static PushEnrollView EnrollView(FactorStep step, string uri, long ticketId) =>
        new(uri, EnrollmentQrCode.DataUri(uri, PushQrPixelsPerModule), step.Services.GetRequiredService<PushPageState>().TokenFor(PushPageState.TicketKind, step.User.Id, ticketId));

    /// <summary>The application's name as its client is registered, else its client id, else the tenant's name.</summary>
    internal static async Task<string> ApplicationAsync(FactorStep step, CancellationToken cancellationToken)
    {
        if (step.Transaction.ClientId is not { } clientId)
        {
            return step.TenantName;
        }

        var applications = step.Services.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        return application is null ? clientId : await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId;
    }

    /// <summary>A coarse location of the request's address: city and country when the GeoIP database knows them.</summary>
    internal static string Location(FactorStep step)
    {
        var geo = step.Services.GetRequiredService<GeoIpLookup>().Lookup(step.Http.Connection.RemoteIpAddress);
        var parts = new[] { geo["city_name"]?.GetValue<string>(), geo["country_name"]?.GetValue<string>() ?? geo["country_code"]?.GetValue<string>() }
            .Where(part => !string.IsNullOrEmpty(part)).ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : "Unknown location";
    }

    private static long? TransactionId(FactorStep step) =>
        long.TryParse(step.State(TransactionKey), CultureInfo.InvariantCulture, out var id) ? id : null;

    private static long? TicketId(FactorStep step) =>
        long.TryParse(step.State(TicketKey), CultureInfo.InvariantCulture, out var id) ? id : null;
}
