using Microsoft.Extensions.Options;
using Polly;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>The sender a tenant chose (<see cref="PhoneSettings.Sender"/>), with its stored secrets.</summary>
public sealed class PhoneSenders(OutboxPhoneSender outbox, PhoneSenderSecrets secrets, IHttpClientFactory http, TimeProvider clock)
{
    /// <summary>The tenant's sender; one whose secret is missing (settings written around the API) fails every send, closed.</summary>
    public async Task<IPhoneSender> ForAsync(string tenantId, PhoneSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Sender == PhoneSenderKind.Outbox)
        {
            return outbox;
        }

        var stored = await secrets.ReadAsync(tenantId, cancellationToken);
        return settings.Sender switch
        {
            PhoneSenderKind.Twilio when stored.TwilioAuthToken is { } token && settings.Twilio.AccountSid is not null =>
                new TwilioPhoneSender(settings.Twilio, token, http.CreateClient(TwilioPhoneSender.HttpClientName)),
            PhoneSenderKind.Webhook when stored.WebhookSecret is { } secret && Uri.TryCreate(settings.Webhook.Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps =>
                new WebhookPhoneSender(url, secret, tenantId, http.CreateClient(WebhookPhoneSender.HttpClientName), clock),
            _ => new UnconfiguredPhoneSender(settings.Sender.ToString().ToLowerInvariant()),
        };
    }

    /// <summary>Registers the senders, their HTTP clients and the operator's <see cref="PhoneOptions"/>.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddOptions<PhoneOptions>().BindConfiguration(PhoneOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboxPhoneSender>();
        services.AddSingleton<WebhookAddressGuard>();
        services.AddScoped<PhoneSenderSecrets>();
        services.AddScoped<Admin.IWriteOnlySettings>(provider => provider.GetRequiredService<PhoneSenderSecrets>());
        services.AddScoped<PhoneSenders>();
        services.AddHttpClient(TwilioPhoneSender.HttpClientName, (provider, client) => client.Timeout = Timeout(provider));
        services.AddHttpClient(WebhookPhoneSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, UseCookies = false, ConnectCallback = provider.GetRequiredService<WebhookAddressGuard>().ConnectAsync,
            })
            .AddResilienceHandler("phone-webhook", (pipeline, context) => pipeline
                .AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 1, Delay = TimeSpan.FromMilliseconds(200), BackoffType = DelayBackoffType.Constant, UseJitter = false,
                })
                .AddTimeout(Timeout(context.ServiceProvider)));
    }

    private static TimeSpan Timeout(IServiceProvider provider) =>
        TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<PhoneOptions>>().Value.SendTimeoutSeconds);
}
