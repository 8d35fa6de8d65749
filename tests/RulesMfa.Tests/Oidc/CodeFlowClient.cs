using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.WebUtilities;

namespace RulesMfa.Tests.Oidc;

/// <summary>
/// A hand-driven authorization code + PKCE client, so a test can send the token endpoint what a stock client never
/// would: a code twice, another redirect URI, a wrong verifier or secret. It signs in on the real password page and
/// stops at the redirect back to the client.
/// </summary>
internal sealed class CodeFlowClient(string issuer, string clientId, string clientSecret, string redirectUri) : IDisposable
{
    private readonly HttpClient http = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });

    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Runs the authorization request for a user the rules let in with a password; returns the code.</summary>
    public async Task<string> GetCodeAsync(string email, string password, string verifier)
    {
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var url = QueryHelpers.AddQueryString($"{issuer}/connect/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["scope"] = "openid",
            ["state"] = "s" + Guid.NewGuid().ToString("N"), ["nonce"] = "n" + Guid.NewGuid().ToString("N"),
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });
        var response = await FollowAsync(url);
        if (response.RequestMessage!.RequestUri!.AbsolutePath.EndsWith("/login", StringComparison.Ordinal))
        {
            var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            var fields = page.QuerySelectorAll("form input[type=hidden]").ToDictionary(input => input.GetAttribute("name")!, input => input.GetAttribute("value") ?? "");
            fields["Email"] = email;
            fields["Password"] = password;
            response = await FollowAsync(response.RequestMessage.RequestUri.ToString(), new FormUrlEncodedContent(fields));
        }

        var location = response.Headers.Location?.ToString() ?? "";
        Assert.That(location, Does.StartWith(redirectUri), $"expected a redirect to the client, got {(int)response.StatusCode} {location}:\n{await response.Content.ReadAsStringAsync()}");
        return QueryHelpers.ParseQuery(new Uri(location).Query)["code"].ToString();
    }

    /// <summary>Redeems a code at the token endpoint, with this client's values unless others are given.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string code, string verifier, string? redirect = null, string? secret = null)
    {
        var response = await http.PostAsync($"{issuer}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect ?? redirectUri, ["code_verifier"] = verifier,
            ["client_id"] = clientId, ["client_secret"] = secret ?? clientSecret,
        }));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Follows redirects within the server (never to the client's redirect URI); returns the last response.</summary>
    private async Task<HttpResponseMessage> FollowAsync(string url, HttpContent? form = null)
    {
        var response = form is null ? await http.GetAsync(url) : await http.PostAsync(url, form);
        for (var hops = 0; hops < 10 && response.Headers.Location is { } location; hops++)
        {
            var next = new Uri(response.RequestMessage!.RequestUri!, location);
            if (next.ToString().StartsWith(redirectUri, StringComparison.Ordinal))
            {
                break;
            }

            response = await http.GetAsync(next);
        }

        return response;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => http.Dispose();
}
