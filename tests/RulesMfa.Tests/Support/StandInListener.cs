using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace RulesMfa.Tests.Support;

/// <summary>
/// A real HTTP server on a loopback port standing in for a provider's API (Twilio's, a tenant's gateway): it records every
/// request as it came over the wire and answers each with the next of the answers the test queued (200 <c>{}</c> once
/// they run out). With <c>https: true</c> it serves TLS with a certificate made for the test.
/// </summary>
internal sealed class StandInListener : IAsyncDisposable
{
    private readonly ConcurrentQueue<(int Status, string Body, TimeSpan Delay)> answers = new();
    private WebApplication app = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The certificate an HTTPS listener serves; null for plain HTTP.</summary>
    public X509Certificate2? Certificate { get; private set; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public static async Task<StandInListener> StartAsync(bool https = false)
    {
        var listener = new StandInListener();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (https)
        {
            listener.Certificate = SelfSigned();
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, endpoint =>
        {
            if (listener.Certificate is { } certificate)
            {
                endpoint.UseHttps(certificate);
            }
        }));
        listener.app = builder.Build();
        listener.app.Run(listener.AnswerAsync);
        await listener.app.StartAsync();
        listener.BaseUrl = listener.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return listener;
    }

    /// <summary>The next request gets this answer (after <paramref name="delay"/>).</summary>
    public void Answer(int status, string body = "{}", TimeSpan delay = default) => answers.Enqueue((status, body, delay));

    /// <summary>Points the server's named HTTP client at this listener: each request keeps its path and query, only the host changes.</summary>
    public void Redirect(IServiceCollection services, string clientName) =>
        services.PostConfigure<HttpClientFactoryOptions>(clientName, options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.AdditionalHandlers.Add(new ToListener(new Uri(BaseUrl)))));

    /// <summary>Makes the server's named HTTP client trust this listener's test certificate (and only it), as an operator adds a private CA.</summary>
    public void TrustCertificate(IServiceCollection services, string clientName) =>
        services.PostConfigure<HttpClientFactoryOptions>(clientName, options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers =>
                ((SocketsHttpHandler)handlers.PrimaryHandler).SslOptions.RemoteCertificateValidationCallback =
                    (_, presented, _, _) => presented is not null && presented.GetCertHashString() == Certificate!.GetCertHashString()));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Certificate?.Dispose();
    }

    private async Task AnswerAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new Received(http.Request.Method, http.Request.Path + http.Request.QueryString,
            http.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            http.Request.ContentType, body));
        var (status, answer, delay) = answers.TryDequeue(out var queued) ? queued : (200, "{}", TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(answer);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>One request as it arrived.</summary>
    public sealed record Received(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body);

    private sealed class ToListener(Uri listener) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = listener.Scheme, Host = listener.Host, Port = listener.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
