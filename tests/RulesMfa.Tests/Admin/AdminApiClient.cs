using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using RulesMfa.Host.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>A machine client of one tenant calling its admin API with a real client-credentials access token.</summary>
internal sealed class AdminApiClient : IDisposable
{
    private readonly HttpClient http = new();

    private AdminApiClient(string apiBase, string clientId)
    {
        ApiBase = apiBase;
        ClientId = clientId;
    }

    public string ApiBase { get; }

    public string ClientId { get; }

    /// <summary>Registers a machine client of <paramref name="tenant"/> (allowed <paramref name="scope"/>) and signs it in.</summary>
    public static async Task<AdminApiClient> CreateAsync(RulesMfaServer server, string tenant, string scope = AdminAccess.Scope, string? tokenTenant = null)
    {
        var clientId = $"{tenant}-deployer-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await server.WithServicesAsync(async services =>
            await services.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(MachineClients.Descriptor(tenant, clientId, secret)));
        var client = new AdminApiClient($"{server.Issuer(tokenTenant ?? tenant)}/api/v1", clientId);
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope.Length > 0)
        {
            form["scope"] = scope;
        }

        var token = await client.http.PostAsync($"{server.Issuer(tenant)}/connect/token", new FormUrlEncodedContent(form));
        var body = await token.Content.ReadAsStringAsync();
        Assert.That((int)token.StatusCode, Is.EqualTo(200), body);
        client.http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(body)!["access_token"]!.GetValue<string>());
        return client;
    }

    /// <summary>The same token sent to another tenant's API.</summary>
    public AdminApiClient At(RulesMfaServer server, string tenant)
    {
        var other = new AdminApiClient($"{server.Issuer(tenant)}/api/v1", ClientId);
        other.http.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
        return other;
    }

    public Task<Response> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<Response> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);

    public Task<Response> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<Response> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, body);

    public Task<Response> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<Response> SendRawAsync(HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, ApiBase + path) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) };
        return await Response.FromAsync(await http.SendAsync(request));
    }

    /// <summary>Posts <paramref name="body"/> in chunks (<c>Transfer-Encoding: chunked</c>), announcing no length.</summary>
    public async Task<Response> PostChunkedAsync(string path, string body)
    {
        var content = new StreamContent(new UnseekableStream(System.Text.Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiBase + path) { Content = content };
        return await Response.FromAsync(await http.SendAsync(request));
    }

    /// <summary>Starts a backtest and waits (at most a minute, a generous bound on a shared machine) until it ends.</summary>
    public async Task<JsonNode> BacktestAsync(object body)
    {
        var started = await PostAsync("/console/backtest", body);
        Assert.That(started.Status, Is.EqualTo(202), started.Text);
        for (var polls = 0; polls < 600; polls++)
        {
            var job = (await GetAsync("/console/backtest")).Json;
            if (job["state"]!.GetValue<string>() != "running")
            {
                return job;
            }

            await Task.Delay(100);
        }

        throw new AssertionException("the backtest did not end within a minute");
    }

    public void Dispose() => http.Dispose();

    private async Task<Response> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, ApiBase + path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }

        return await Response.FromAsync(await http.SendAsync(request));
    }

    /// <summary>A status and its JSON body (null when empty).</summary>
    internal sealed record Response(int Status, JsonNode? Body, string Text)
    {
        /// <summary>The <c>Retry-After</c> header, when the server sent one.</summary>
        public TimeSpan? RetryAfter { get; init; }

        /// <summary>The path of the <c>Link: &lt;...&gt;; rel="next"</c> header below the API's base (<c>/audit?before=...</c>), when the server sent one.</summary>
        public string? Link { get; init; }

        public static async Task<Response> FromAsync(HttpResponseMessage message)
        {
            var text = await message.Content.ReadAsStringAsync();
            return new Response((int)message.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), text) { RetryAfter = message.Headers.RetryAfter?.Delta, Link = NextPath(message) };
        }

        private static string? NextPath(HttpResponseMessage message)
        {
            var link = message.Headers.TryGetValues("Link", out var values) ? values.Single() : null;
            return link is null ? null : link[(link.IndexOf("/api/v1", StringComparison.Ordinal) + "/api/v1".Length)..link.IndexOf('>', StringComparison.Ordinal)];
        }

        public JsonNode Json => Body ?? throw new AssertionException($"HTTP {Status} with an empty body");
    }

    /// <summary>A body whose length the client cannot know beforehand, so it is sent in chunks.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
