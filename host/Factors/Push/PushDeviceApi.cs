using System.Text.Json;
using System.Text.RegularExpressions;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// The device API under each tenant's <c>base_url</c> (README, "Push devices"): <c>POST /api/enroll</c> (a ticket),
/// <c>GET /api/device-accounts/{id}/pending-transactions</c> (the device's token; long polling),
/// <c>POST /api/resolve-transaction</c> (a transaction token and a signed answer), and the pages' polls
/// <c>POST /api/transaction-state</c> and <c>POST /api/enrollment-state</c>. Refusals are <c>{error, error_description}</c>.
/// </summary>
internal static partial class PushDeviceApi
{
    /// <summary>The longest a device's long poll waits: 30 seconds.</summary>
    public const int MaxWaitSeconds = 30;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").DisableAntiforgery().WithTags("Push devices");
        api.MapPost("/enroll", EnrollAsync);
        api.MapGet("/device-accounts/{enrollmentId}/pending-transactions", PendingAsync);
        api.MapPost("/resolve-transaction", ResolveAsync);
        api.MapPost("/transaction-state", TransactionStateAsync);
        api.MapPost("/enrollment-state", EnrollmentStateAsync);
    }

    private static async Task<IResult> EnrollAsync(HttpContext http, PushTickets tickets, TenantBranding branding, ILogger<PushFactor> logger)
    {
        var tenant = TenantContext.Required(http).Id;
        var ip = http.Connection.RemoteIpAddress?.ToString();
        var header = http.Request.Headers.Authorization.ToString();
        if (TicketHeader().Match(header) is not { Success: true } ticket)
        {
            logger.PushEnrollmentRefused(tenant, ip, "no ticket");
            return Error(StatusCodes.Status401Unauthorized, "invalid_ticket", "Send the enrollment ticket as Authorization: Ticket id=\"{enrollment_tx_id}\".");
        }

        var request = await ReadAsync<PushEnrollRequest>(http);
        var problem = request is null ? "The body must be a JSON object {identifier, name, push_credentials?, public_key}."
            : string.IsNullOrWhiteSpace(request.Identifier) || request.Identifier.Length > 256 ? "identifier must be 1 to 256 characters."
            : string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100 ? "name must be 1 to 100 characters."
            : PushDeviceKey.ProblemWith(request.PublicKey);
        if (problem is not null)
        {
            logger.PushEnrollmentRefused(tenant, ip, "invalid request");
            return Error(StatusCodes.Status400BadRequest, "invalid_request", problem);
        }

        switch (await tickets.EnrollAsync(tenant, ticket.Groups[1].Value, request!, http.RequestAborted))
        {
            case PushEnrollment.Enrolled enrolled:
                logger.PushDeviceEnrolled(enrolled.Device.EnrollmentId, enrolled.Device.UserId, tenant, ip);
                return Results.Json(new PushEnrollResponse(enrolled.Device.EnrollmentId, enrolled.Token, enrolled.Device.UserId, (await branding.ForAsync(http)).Name,
                    new PushTotp(enrolled.Secret.Base32, GuardianEnrollmentUri.Algorithm, GuardianEnrollmentUri.Digits, GuardianEnrollmentUri.Period)));
            case PushEnrollment.Refused refused:
                logger.PushEnrollmentRefused(tenant, ip, refused.Description);
                return Error(StatusCodes.Status401Unauthorized, "invalid_ticket", refused.Description);
            default:
                throw new InvalidOperationException("Unexpected enrollment result.");
        }
    }

    private static async Task<IResult> PendingAsync(string enrollmentId, int? wait, HttpContext http, PushTransactions transactions, ILogger<PushFactor> logger)
    {
        var tenant = TenantContext.Required(http).Id;
        var device = await transactions.AuthenticateDeviceAsync(tenant, enrollmentId, Bearer(http), http.RequestAborted);
        if (device is null)
        {
            logger.PushDeviceRefused(enrollmentId, tenant, http.Connection.RemoteIpAddress?.ToString());
            return Error(StatusCodes.Status401Unauthorized, "invalid_token", "This device is not enrolled here (it may have been removed): enroll it again.");
        }

        // Long polling: the database is asked once a second, so a request sent by any host is seen.
        var seconds = Math.Clamp(wait ?? 0, 0, MaxWaitSeconds);
        for (var waited = 0; ; waited++)
        {
            var pending = await transactions.PendingAsync(device, http.RequestAborted);
            if (pending.Count > 0 || waited >= seconds)
            {
                return Results.Json(new PushPendingList(pending));
            }

            await Task.Delay(TimeSpan.FromSeconds(1), http.RequestAborted);
        }
    }

    private static async Task<IResult> ResolveAsync(HttpContext http, PushTransactions transactions, PushAnswerVerifier verifier, ILogger<PushFactor> logger)
    {
        var tenant = TenantContext.Required(http).Id;
        var request = await ReadAsync<PushResolveRequest>(http);
        var resolution = await transactions.ResolveAsync(tenant, Bearer(http), request?.ChallengeResponse, verifier, http.RequestAborted);
        var (record, device) = (resolution.Transaction, resolution.Device);
        switch (resolution.Answer)
        {
            case PushAnswer.Approved:
                logger.PushApproved(device!.EnrollmentId, record!.UserId, tenant, record.PublicId);
                return Results.NoContent();
            case PushAnswer.Declined declined:
                logger.PushRejected(device!.EnrollmentId, record!.UserId, tenant, record.PublicId, declined.Reason);
                return Results.NoContent();
            case PushAnswer.Refused refused:
                logger.PushAnswerRefused(record?.PublicId, tenant, http.Connection.RemoteIpAddress?.ToString(), refused.Error);
                return Error(refused.Error switch
                {
                    "invalid_token" => StatusCodes.Status401Unauthorized,
                    "transaction_resolved" => StatusCodes.Status409Conflict,
                    _ => StatusCodes.Status400BadRequest,
                }, refused.Error, refused.Description);
            default:
                throw new InvalidOperationException("Unexpected answer.");
        }
    }

    private static async Task<IResult> TransactionStateAsync(HttpContext http, PushPageState pages, PushTransactions transactions) =>
        pages.Read(PushPageState.TransactionKind, Bearer(http)) is { } named
            ? Results.Json(new { state = await transactions.StateAsync(named.UserId, named.Id, http.RequestAborted) })
            : Error(StatusCodes.Status401Unauthorized, "invalid_token", "This page's request is over: reload the page.");

    private static async Task<IResult> EnrollmentStateAsync(HttpContext http, PushPageState pages, PushTickets tickets) =>
        pages.Read(PushPageState.TicketKind, Bearer(http)) is { } named
            ? Results.Json(new { state = await tickets.StateAsync(named.UserId, named.Id, http.RequestAborted) })
            : Error(StatusCodes.Status401Unauthorized, "invalid_token", "This page's enrollment is over: reload the page.");

    private static string? Bearer(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..].Trim() : null;

    private static async Task<T?> ReadAsync<T>(HttpContext http)
        where T : class
    {
        try
        {
            return http.Request.HasJsonContentType() ? await http.Request.ReadFromJsonAsync<T>(http.RequestAborted) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string error, string description) => Results.Json(new PushApiError(error, description), statusCode: status);

    [GeneratedRegex("^Ticket id=\"([^\"]{1,200})\"$")]
    private static partial Regex TicketHeader();
}
