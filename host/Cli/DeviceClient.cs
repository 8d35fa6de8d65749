using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using RulesMfa.Host.Factors.Push;

namespace RulesMfa.Host.Cli;

/// <summary>The companion device's calls of the device API (README, "Push devices"); a refusal is a <see cref="CliServerException"/> with the server's words.</summary>
internal sealed class DeviceClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Enrolls <paramref name="device"/>'s key with the ticket of <paramref name="uri"/>.</summary>
    public async Task<PushEnrollResponse> EnrollAsync(GuardianEnrollmentUri uri, DeviceFile device, CancellationToken cancellationToken)
    {
        using var key = device.Key();
        var parameters = key.ExportParameters(false);
        var body = new PushEnrollRequest(device.Identifier, device.Name, null,
            new PushPublicKey("RSA", "sig", "RS256", Base64Url.EncodeToString(parameters.Modulus), Base64Url.EncodeToString(parameters.Exponent)));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{uri.BaseUrl}/api/enroll") { Content = JsonContent.Create(body, options: Json) };
        request.Headers.TryAddWithoutValidation("Authorization", $"Ticket id=\"{uri.Ticket}\"");
        return await SendAsync<PushEnrollResponse>(request, cancellationToken);
    }

    /// <summary>The account's sign-ins waiting for approval; waits up to <paramref name="waitSeconds"/> for one to come.</summary>
    public async Task<IReadOnlyList<PushPendingTransaction>> PendingAsync(DeviceAccount account, int waitSeconds, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{account.BaseUrl}/api/device-accounts/{Uri.EscapeDataString(account.Id)}/pending-transactions?wait={waitSeconds}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
        return (await SendAsync<PushPendingList>(request, cancellationToken)).Transactions;
    }

    /// <summary>Sends the signed answer to a pending sign-in.</summary>
    public async Task ResolveAsync(DeviceAccount account, PushPendingTransaction pending, string answer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, account.BaseUrl + PushClaims.ResolvePath)
        {
            Content = JsonContent.Create(new PushResolveRequest(answer), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", pending.TransactionToken);
        await SendAsync(request, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
        where T : class =>
        Parse<T>(await SendAsync(request, cancellationToken)) ?? throw new CliServerException($"{request.RequestUri!.AbsolutePath} answered something that is not the device API's JSON");

    /// <summary>The body of a successful answer.</summary>
    private async Task<string> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw new CliServerException($"cannot reach {request.RequestUri!.GetLeftPart(UriPartial.Authority)}: {error.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            throw new CliServerException(Parse<PushApiError>(body) is { Error: not null } refusal
                ? $"the server refused: {refusal.Description} ({refusal.Error})"
                : $"{request.RequestUri!.AbsolutePath} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    private static T? Parse<T>(string body)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
