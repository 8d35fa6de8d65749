using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RulesMfa.Tests.DuoStandIn;

/// <summary>
/// Duo's Universal Prompt as its documentation describes it (README, "Duo"; /work/shared/notes/mfa-api-facts.md), in the
/// test process over TLS: <c>POST /oauth/v1/health_check</c>, <c>GET /oauth/v1/authorize</c> and <c>POST /oauth/v1/token</c>,
/// each checking the caller's HS512 JWT (signature with the application's secret, issuer, audience = the endpoint's URL,
/// expiry). The authorization endpoint serves a prompt page whose link (<c>#duo-answer</c>) is the user's answer: back to
/// the <c>redirect_uri</c> with <c>state</c> and <c>duo_code</c>. Codes are single use. Every call is recorded with its outcome.
/// Written from Duo's documentation, not from Duo's service.
/// </summary>
internal sealed class DuoStandInServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> applications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> grants = new(StringComparer.Ordinal);
    private static readonly JsonWebTokenHandler Tokens = new() { SetDefaultTimesOnTokenCreation = false };
    private WebApplication app = null!;
    private bool stopped;

    private DuoStandInServer(TestCertificates certificates) => Certificates = certificates;

    public TestCertificates Certificates { get; }

    /// <summary>The API hostname to configure: <c>127.0.0.1:port</c>.</summary>
    public string ApiHost { get; private set; } = "";

    /// <summary>What the prompt answers from now on.</summary>
    public DuoAnswer Answer { get; set; } = DuoAnswer.Allow;

    public ConcurrentQueue<Call> Calls { get; } = new();

    public static async Task<DuoStandInServer> StartAsync()
    {
        var standIn = new DuoStandInServer(TestCertificates.Create());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, endpoint => endpoint.UseHttps(standIn.Certificates.Server)));
        standIn.app = builder.Build();
        standIn.app.MapPost("/oauth/v1/health_check", (Delegate)standIn.HealthCheckAsync);
        standIn.app.MapGet("/oauth/v1/authorize", (Delegate)standIn.AuthorizeAsync);
        standIn.app.MapPost("/oauth/v1/token", (Delegate)standIn.TokenAsync);
        await standIn.app.StartAsync();
        standIn.ApiHost = new Uri(standIn.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Authority;
        return standIn;
    }

    /// <summary>Registers a Web SDK application: a 20-character client id and a 40-character secret, as Duo issues them.</summary>
    public (string ClientId, string Secret) AddApplication()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var clientId = "DI" + RandomNumberGenerator.GetString(alphabet, 18);
        var secret = RandomNumberGenerator.GetString(alphabet.ToLowerInvariant() + alphabet, 40);
        applications[clientId] = secret;
        return (clientId, secret);
    }

    /// <summary>Makes the server's Duo client trust this stand-in's test root, and nothing else changes in how it checks certificates.</summary>
    public void TrustIn(IServiceCollection services) =>
        services.PostConfigure<HttpClientFactoryOptions>(Host.Factors.Duo.DuoClient.HttpClientName, options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers =>
                ((SocketsHttpHandler)handlers.PrimaryHandler).SslOptions.CertificateChainPolicy = Certificates.ChainPolicy()));

    public string Url(string endpoint) => $"https://{ApiHost}/oauth/v1/{endpoint}";

    /// <summary>The calls to <paramref name="endpoint"/>, in order.</summary>
    public IReadOnlyList<Call> CallsTo(string endpoint) => Calls.Where(call => call.Endpoint == endpoint).ToList();

    /// <summary>An HS512 JWT as Duo and its clients sign them (for tests that call the stand-in directly, too).</summary>
    public static string Sign(string issuer, string secret, string audience, DateTimeOffset expires, IDictionary<string, object>? claims = null)
    {
        var all = new Dictionary<string, object>(claims ?? new Dictionary<string, object>())
        {
            ["iss"] = issuer, ["aud"] = audience, ["jti"] = Guid.NewGuid().ToString(), ["exp"] = expires.ToUnixTimeSeconds(),
        };
        return Tokens.CreateToken(new SecurityTokenDescriptor { Claims = all, SigningCredentials = new SigningCredentials(Key(secret), SecurityAlgorithms.HmacSha512) });
    }

    public async ValueTask DisposeAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        await app.StopAsync();
        await app.DisposeAsync();
        Certificates.Dispose();
    }

    private async Task<IResult> HealthCheckAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var problem = await AssertionProblemAsync(form["client_id"], form["client_assertion"], Url("health_check"));
        Calls.Enqueue(new Call("health_check", form["client_id"].ToString(), problem ?? "ok", null));
        return problem is null
            ? Results.Json(new { stat = "OK", response = new { timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() } })
            : Results.Json(new { stat = "FAIL", code = 40002, message = "invalid_client", message_detail = problem }, statusCode: 400);
    }

    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var query = http.Request.Query;
        var clientId = query["client_id"].ToString();
        var request = applications.TryGetValue(clientId, out var secret) ? await ValidateAsync(query["request"], secret, clientId, Url("authorize")) : null;
        var problem = request is null ? "request JWT refused (client, signature, issuer, audience or expiry)"
            : query["response_type"] != "code" ? "response_type is not code"
            : Claim(request, "client_id") != clientId || Claim(request, "response_type") != "code" || Claim(request, "scope") != "openid" ? "request claims wrong"
            : Claim(request, "state") is not { Length: >= 22 and <= 1024 } ? "state not 22 to 1024 characters"
            : string.IsNullOrEmpty(Claim(request, "duo_uname")) || string.IsNullOrEmpty(Claim(request, "redirect_uri")) ? "duo_uname or redirect_uri missing"
            : null;
        Calls.Enqueue(new Call("authorize", clientId, problem ?? "ok", request is null ? null : Claim(request, "duo_uname")));
        if (problem is not null)
        {
            return Results.Content($"<p id=\"duo-error\">{HtmlEncoder.Default.Encode(problem)}</p>", "text/html", statusCode: 400);
        }

        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        grants[code] = new Grant(clientId, Claim(request!, "duo_uname")!, Claim(request!, "redirect_uri")!, Answer);
        var back = $"{Claim(request!, "redirect_uri")}?state={Uri.EscapeDataString(Claim(request!, "state")!)}&duo_code={code}";
        return Results.Content($"<h1>Duo stand-in</h1><a id=\"duo-answer\" href=\"{HtmlEncoder.Default.Encode(back)}\">Answer</a>", "text/html");
    }

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var clientId = form["client_id"].ToString();
        var code = form["code"].ToString();
        Grant? grant = null;
        var problem = await AssertionProblemAsync(clientId, form["client_assertion"], Url("token"))
            ?? (form["grant_type"] != "authorization_code" || form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                ? "grant_type or client_assertion_type wrong" : null)
            ?? (!grants.TryRemove(code, out grant) ? "code unknown or already used"
                : grant.ClientId != clientId || grant.RedirectUri != form["redirect_uri"] ? "code issued to another client or redirect_uri" : null);
        Calls.Enqueue(new Call("token", clientId, problem ?? "ok", grant?.Username));
        if (problem is not null)
        {
            return Results.Json(new { error = "invalid_grant", error_description = problem }, statusCode: 400);
        }

        var allowed = grant!.Answer != DuoAnswer.Deny;
        var now = DateTimeOffset.UtcNow;
        var idToken = Sign(Url("token"), applications[clientId], audience: clientId, now.AddMinutes(5), new Dictionary<string, object>
        {
            ["iat"] = now.ToUnixTimeSeconds(),
            ["preferred_username"] = grant.Answer == DuoAnswer.OtherUser ? "someone-else" : grant.Username,
            ["auth_result"] = new Dictionary<string, object>
            {
                ["result"] = allowed ? "allow" : "deny", ["status"] = allowed ? "allow" : "deny", ["status_msg"] = allowed ? "Login Successful" : "Login denied",
            },
            ["auth_context"] = new Dictionary<string, object> { ["result"] = allowed ? "success" : "denied", ["factor"] = "duo_push" },
        });
        return Results.Json(new { id_token = idToken, access_token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), expires_in = 300, token_type = "Bearer" });
    }

    /// <summary>Why a client assertion is refused (the kind of failure, as the test asserts it), or null.</summary>
    private async Task<string?> AssertionProblemAsync(string? clientId, string? assertion, string endpoint)
    {
        if (clientId is null || !applications.TryGetValue(clientId, out var secret))
        {
            return "unknown client";
        }

        var result = await Tokens.ValidateTokenAsync(assertion, Parameters(secret, clientId, endpoint));
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "wrong signature",
                SecurityTokenInvalidAudienceException => "wrong audience",
                SecurityTokenExpiredException or SecurityTokenNoExpirationException => "expired",
                _ => $"invalid ({result.Exception?.GetType().Name})",
            };
        }

        return Claim((JsonWebToken)result.SecurityToken, "sub") == clientId ? null : "sub is not the client id";
    }

    private async Task<JsonWebToken?> ValidateAsync(string? token, string secret, string clientId, string endpoint)
    {
        var result = await Tokens.ValidateTokenAsync(token, Parameters(secret, clientId, endpoint));
        return result.IsValid ? (JsonWebToken)result.SecurityToken : null;
    }

    private static TokenValidationParameters Parameters(string secret, string clientId, string endpoint) => new()
    {
        ValidIssuer = clientId, ValidAudience = endpoint, IssuerSigningKey = Key(secret), ValidAlgorithms = [SecurityAlgorithms.HmacSha512],
        RequireExpirationTime = true, ClockSkew = TimeSpan.Zero,
    };

    private static string? Claim(JsonWebToken token, string name) => token.TryGetPayloadValue<string>(name, out var value) ? value : null;

    /// <summary>Duo's key: the secret's UTF-8 bytes, zero-padded to 64 bytes.</summary>
    private static SymmetricSecurityKey Key(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        Array.Resize(ref bytes, Math.Max(64, bytes.Length));
        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>One call as the stand-in judged it.</summary>
    public sealed record Call(string Endpoint, string ClientId, string Outcome, string? Username);

    private sealed record Grant(string ClientId, string Username, string RedirectUri, DuoAnswer Answer);
}
