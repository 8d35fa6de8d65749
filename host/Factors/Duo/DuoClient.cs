using System.Text.Json;
using System.Web;

namespace RulesMfa.Host.Factors.Duo;

/// <summary>
/// The three calls of Duo's Universal Prompt (README, "Duo"), on <c>https://{apiHost}/oauth/v1/</c>: the health check, the
/// signed authorization request the browser is sent to, and the exchange of Duo's code for its <c>id_token</c>, which is
/// checked here. Calls go through the named HTTP client <see cref="HttpClientName"/> (certificates checked as always).
/// </summary>
public sealed class DuoClient(IHttpClientFactory clients, TimeProvider clock)
{
    public const string HttpClientName = "duo";

    /// <summary>How long one call to Duo may take: 10 seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>True when Duo answers its health check with <c>stat: "OK"</c>; any error, status or timeout counts as down.</summary>
    public async Task<bool> IsHealthyAsync(DuoConnection duo, CancellationToken cancellationToken)
    {
        try
        {
            using var answer = await PostAsync(duo.HealthCheckUrl, new() { ["client_id"] = duo.ClientId, ["client_assertion"] = Assertion(duo, duo.HealthCheckUrl) }, cancellationToken);
            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
            return answer.IsSuccessStatusCode && json.RootElement.TryGetProperty("stat", out var stat) && stat.ValueKind == JsonValueKind.String && stat.GetString() == "OK";
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Where the browser goes: the authorization endpoint with the signed request for <see cref="DuoConnection.Username"/>.</summary>
    public string AuthorizeUrl(DuoConnection duo, string state, string redirectUri)
    {
        var request = DuoJwt.Sign(duo.ClientId, duo.ClientSecret, duo.AuthorizeUrl, clock.GetUtcNow(), new Dictionary<string, object>
        {
            ["client_id"] = duo.ClientId,
            ["duo_uname"] = duo.Username,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid",
            ["state"] = state,
        });
        var query = HttpUtility.ParseQueryString("");
        query["client_id"] = duo.ClientId;
        query["request"] = request;
        query["response_type"] = "code";
        return $"{duo.AuthorizeUrl}?{query}";
    }

    /// <summary>Exchanges Duo's <paramref name="code"/> and checks the <c>id_token</c> it answers with.</summary>
    public async Task<DuoVerdict> ExchangeAsync(DuoConnection duo, string code, string redirectUri, CancellationToken cancellationToken)
    {
        string? idToken;
        try
        {
            using var answer = await PostAsync(duo.TokenUrl, new()
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = redirectUri,
                ["client_id"] = duo.ClientId,
                ["client_assertion_type"] = AssertionType,
                ["client_assertion"] = Assertion(duo, duo.TokenUrl),
            }, cancellationToken);
            if (!answer.IsSuccessStatusCode)
            {
                return new DuoVerdict.Invalid($"the token endpoint answered {(int)answer.StatusCode}");
            }

            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(cancellationToken));
            idToken = json.RootElement.TryGetProperty("id_token", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException)
        {
            return new DuoVerdict.Invalid("the token endpoint could not be reached or answered something else than JSON");
        }

        return idToken is null ? new DuoVerdict.Invalid("the token answer has no id_token") : await CheckAsync(duo, idToken);
    }

    /// <summary>HS512 with the secret, issued by the token endpoint, for this client, not expired; then the user and the result.</summary>
    private static async Task<DuoVerdict> CheckAsync(DuoConnection duo, string idToken)
    {
        if (await DuoJwt.ValidateAsync(idToken, duo.ClientSecret, issuer: duo.TokenUrl, audience: duo.ClientId) is not { } token)
        {
            return new DuoVerdict.Invalid("the id_token failed its signature, issuer, audience or expiry check");
        }

        if (!token.TryGetPayloadValue<string>("preferred_username", out var username) || username != duo.Username)
        {
            return new DuoVerdict.WrongUser();
        }

        using var payload = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(token.EncodedPayload));
        if (!payload.RootElement.TryGetProperty("auth_result", out var result) || result.ValueKind != JsonValueKind.Object)
        {
            return new DuoVerdict.Invalid("the id_token has no auth_result");
        }

        var status = Text(result, "status_msg") ?? Text(result, "status") ?? "no status";
        return Text(result, "result") == "allow" ? new DuoVerdict.Allowed() : new DuoVerdict.Denied(status);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private string Assertion(DuoConnection duo, string audience) =>
        DuoJwt.Sign(duo.ClientId, duo.ClientSecret, audience, clock.GetUtcNow(), new Dictionary<string, object> { ["sub"] = duo.ClientId });

    private Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> form, CancellationToken cancellationToken) =>
        clients.CreateClient(HttpClientName).PostAsync(url, new FormUrlEncodedContent(form), cancellationToken);
}
