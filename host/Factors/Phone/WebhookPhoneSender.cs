using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// Sends through the tenant's own gateway: a JSON <c>POST</c> in the shape of Auth0's send-phone-message Action
/// (<c>{"message_options": {"action", "code", "message_type", "recipient", "text"}, "tenant": {"id"}}</c>), signed
/// (<see cref="WebhookSignature"/>). The client (<see cref="HttpClientName"/>) connects only to public addresses
/// (<see cref="WebhookAddressGuard"/>), follows no redirect, and gives each attempt <see cref="PhoneOptions.SendTimeoutSeconds"/>
/// with one retry; any answer but a 2xx is a failure.
/// </summary>
public sealed class WebhookPhoneSender(Uri url, string secret, string tenantId, HttpClient client, TimeProvider clock) : IPhoneSender
{
    /// <summary>The named <see cref="HttpClient"/> of webhook calls.</summary>
    public const string HttpClientName = "rulesmfa-phone-webhook";

    public string Name => "webhook";

    public async Task<PhoneSendResult> SendAsync(PhoneMessage message, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["message_options"] = new JsonObject
            {
                ["action"] = message.Action == PhoneMessageAction.Enrollment ? "enrollment" : "second-factor-authentication",
                ["code"] = message.Code,
                ["message_type"] = message.Channel == PhoneChannel.Voice ? "voice" : "sms",
                ["recipient"] = message.Recipient,
                ["text"] = message.Text,
            },
            ["tenant"] = new JsonObject { ["id"] = tenantId },
        }.ToJsonString();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("RulesMfa", "1"));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode
                ? new PhoneSendResult.Sent()
                : new PhoneSendResult.Failed($"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException failure)
        {
            return new PhoneSendResult.Failed(failure.InnerException is WebhookAddressRefusedException refused
                ? refused.Message
                : $"could not connect ({failure.HttpRequestError})");
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            // Polly's TimeoutRejectedException is named, not caught by type: OpenIddict brings Polly 7, whose type has the same name.
            return new PhoneSendResult.Failed(failure is TaskCanceledException || failure.GetType().Name == "TimeoutRejectedException"
                ? "timed out"
                : $"failed ({failure.GetType().Name})");
        }
    }
}
