using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.MfaApi;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.MfaApi;

/// <summary>The MFA API's requests as bare HTTP, to compare every answer with Auth0's wire format field by field.</summary>
internal sealed class MfaApiHttp(string issuer, string clientId, string clientSecret) : IDisposable
{
    private readonly HttpClient http = new();

    public string Issuer => issuer;

    public string ClientId => clientId;

    public string ClientSecret => clientSecret;

    /// <summary>The MFA API's audience at this tenant.</summary>
    public string Audience => $"{issuer}/mfa/";

    public static async Task<(string ClientId, string Secret)> AddPasswordClientAsync(RulesMfaServer server, string tenant, string clientId)
    {
        var secret = await server.AddClientAsync(tenant, clientId, "http://127.0.0.1:9");
        await server.WithServicesAsync(async services =>
        {
            var applications = services.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>();
            await PasswordGrantClients.SetAsync(applications, (await applications.FindByClientIdAsync(clientId))!, allowed: true, CancellationToken.None);
            return true;
        });
        return (clientId, secret);
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> PasswordAsync(string username, string password, string scope = "openid", string? audience = null) =>
        TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = username, ["password"] = password, ["scope"] = scope,
        }.WithOptional("audience", audience));

    /// <summary>A grant with this client's credentials (client_secret_post, as auth0-auth-js sends them).</summary>
    public Task<(HttpStatusCode Status, JsonNode? Body)> TokenAsync(Dictionary<string, string> form)
    {
        form.TryAdd("client_id", clientId);
        form.TryAdd("client_secret", clientSecret);
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{issuer}/connect/token") { Content = new FormUrlEncodedContent(form) });
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> GrantAsync(string grantType, string mfaToken, params (string Name, string Value)[] parameters)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = grantType, ["mfa_token"] = mfaToken };
        foreach (var (name, value) in parameters)
        {
            form[name] = value;
        }

        return TokenAsync(form);
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> AssociateAsync(string bearer, object body) =>
        SendAsync(Bearer(new HttpRequestMessage(HttpMethod.Post, $"{issuer}/mfa/associate") { Content = JsonContent.Create(body) }, bearer));

    public Task<(HttpStatusCode Status, JsonNode? Body)> AuthenticatorsAsync(string bearer) =>
        SendAsync(Bearer(new HttpRequestMessage(HttpMethod.Get, $"{issuer}/mfa/authenticators"), bearer));

    public Task<(HttpStatusCode Status, JsonNode? Body)> RemoveAsync(string bearer, string id) =>
        SendAsync(Bearer(new HttpRequestMessage(HttpMethod.Delete, $"{issuer}/mfa/authenticators/{Uri.EscapeDataString(id)}"), bearer));

    /// <summary>A challenge posted form-encoded, with an empty <c>authenticator_id</c>, as Auth0's .NET SDK posts it.</summary>
    public Task<(HttpStatusCode Status, JsonNode? Body)> ChallengeAsync(string mfaToken, string challengeType, string authenticatorId = "", string? secret = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{issuer}/mfa/challenge")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = clientId, ["client_secret"] = secret ?? clientSecret, ["mfa_token"] = mfaToken, ["challenge_type"] = challengeType,
                ["authenticator_id"] = authenticatorId,
            }),
        });

    public void Dispose() => http.Dispose();

    private static HttpRequestMessage Bearer(HttpRequestMessage request, string bearer)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await http.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }
    }
}

internal static class FormExtensions
{
    public static Dictionary<string, string> WithOptional(this Dictionary<string, string> form, string name, string? value)
    {
        if (value is not null)
        {
            form[name] = value;
        }

        return form;
    }
}
