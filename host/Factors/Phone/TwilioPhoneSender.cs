using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.TwiML;
using Twilio.Types;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// Sends through Twilio with its official client: a text message from the tenant's number or messaging service, or a call
/// from its number whose TwiML reads the message (<c>&lt;Say&gt;</c>). The account SID and auth token authenticate the
/// calls (HTTP Basic); the client's HTTP connection is the named <see cref="HttpClientName"/>, with
/// <see cref="PhoneOptions.SendTimeoutSeconds"/> per call and no retry (a retried call could ring twice).
/// </summary>
public sealed class TwilioPhoneSender(TwilioSenderSettings account, string authToken, System.Net.Http.HttpClient http) : IPhoneSender
{
    /// <summary>The named <see cref="System.Net.Http.HttpClient"/> the Twilio client sends with.</summary>
    public const string HttpClientName = "rulesmfa-twilio";

    public string Name => "twilio";

    public async Task<PhoneSendResult> SendAsync(PhoneMessage message, CancellationToken cancellationToken)
    {
        var client = new TwilioRestClient(account.AccountSid!, authToken, httpClient: new SystemNetHttpClient(http));
        try
        {
            if (message.Channel == PhoneChannel.Voice)
            {
                var call = new CreateCallOptions(new PhoneNumber(message.Recipient), new PhoneNumber(account.From))
                {
                    Twiml = new Twiml(new VoiceResponse().Say(message.Text).ToString()),
                };
                await CallResource.CreateAsync(call, client);
            }
            else
            {
                var text = new CreateMessageOptions(new PhoneNumber(message.Recipient)) { Body = message.Text };
                if (account.MessagingServiceSid is { } service)
                {
                    text.MessagingServiceSid = service;
                }
                else
                {
                    text.From = new PhoneNumber(account.From);
                }

                await MessageResource.CreateAsync(text, client);
            }

            return new PhoneSendResult.Sent();
        }
        catch (ApiException refused)
        {
            return new PhoneSendResult.Failed($"Twilio answered HTTP {refused.Status} (error {refused.Code})");
        }
        catch (Exception failure) when (failure is ApiConnectionException or System.Net.Http.HttpRequestException or TaskCanceledException)
        {
            return new PhoneSendResult.Failed($"could not reach Twilio ({failure.GetType().Name})");
        }
    }
}
