using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RulesMfa.Host.Admin;

namespace RulesMfa.Host.Cli;

/// <summary>
/// The admin API of one tenant (<c>{server}/{tenant}/api/v1</c>) as a machine client: an access token from the
/// tenant's token endpoint (client credentials, scope <c>rulesmfa.admin</c>), then JSON over HTTP.
/// </summary>
internal sealed class AdminApiClient(HttpClient http, ServerTarget target) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Signs in and returns a client for the tenant's admin API.</summary>
    /// <exception cref="CliServerException">The server cannot be reached or refuses the client.</exception>
    public static async Task<AdminApiClient> ConnectAsync(ServerTarget target, CancellationToken cancellationToken)
    {
        var http = new HttpClient { BaseAddress = target.TenantBase, Timeout = TimeSpan.FromSeconds(100) };
        try
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = target.ClientId, ["client_secret"] = target.ClientSecret, ["scope"] = AdminAccess.Scope,
            });
            using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Post, "connect/token") { Content = form }, target, cancellationToken);
            var body = await ReadJsonAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new CliServerException($"{target}: no such tenant (404 from its token endpoint)");
            }

            if (!response.IsSuccessStatusCode || body?["access_token"]?.GetValue<string>() is not { } token)
            {
                throw new CliServerException(
                    $"{target} refused client '{target.ClientId}': {body?["error"]} {body?["error_description"]}".TrimEnd() + $" ({(int)response.StatusCode})");
            }

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return new AdminApiClient(http, target);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The tenant's rules in the order logins run them.</summary>
    public async Task<IReadOnlyList<RuleSummary>> ListRulesAsync(CancellationToken cancellationToken) =>
        (await GetAsync("api/v1/rules", cancellationToken)).Deserialize<List<RuleSummary>>(Json)!;

    public async Task<RuleDetail> GetRuleAsync(string id, CancellationToken cancellationToken) =>
        (await GetAsync(RulePath(id), cancellationToken)).Deserialize<RuleDetail>(Json)!;

    /// <summary>Creates or updates a rule; the answer is the save (200) or the problem details of a refusal (400, 422).</summary>
    public async Task<ApiAnswer> PutRuleAsync(string id, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Put, RulePath(id)) { Content = JsonContent.Create(body) }, target, cancellationToken);
        var answer = new ApiAnswer((int)response.StatusCode, await ReadJsonAsync(response, cancellationToken));
        return answer.Status is 200 or 400 or 422 ? answer : throw Refused($"PUT {RulePath(id)}", answer);
    }

    public async Task<RuleDetail> PatchRuleAsync(string id, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Patch, RulePath(id)) { Content = JsonContent.Create(body) }, target, cancellationToken);
        var answer = new ApiAnswer((int)response.StatusCode, await ReadJsonAsync(response, cancellationToken));
        return answer.Status == 200 ? answer.Body.Deserialize<RuleDetail>(Json)! : throw Refused($"PATCH {RulePath(id)}", answer);
    }

    /// <summary>Starts a backtest; the answer is the job (202) or the problem details of a refusal (400, 409).</summary>
    public async Task<ApiAnswer> StartBacktestAsync(JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Post, BacktestPath) { Content = JsonContent.Create(body) }, target, cancellationToken);
        var answer = new ApiAnswer((int)response.StatusCode, await ReadJsonAsync(response, cancellationToken));
        return answer.Status is 202 or 400 or 409 ? answer : throw Refused($"POST {BacktestPath}", answer);
    }

    /// <summary>The tenant's newest backtest: its progress, and its result when done.</summary>
    public async Task<JsonNode> BacktestAsync(CancellationToken cancellationToken) => (await GetAsync(BacktestPath, cancellationToken))!;

    public void Dispose() => http.Dispose();

    private async Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, new HttpRequestMessage(HttpMethod.Get, path), target, cancellationToken);
        var answer = new ApiAnswer((int)response.StatusCode, await ReadJsonAsync(response, cancellationToken));
        return answer.Status == 200 ? answer.Body : throw Refused($"GET {path}", answer);
    }

    private CliServerException Refused(string request, ApiAnswer answer) =>
        new($"{target} refused {request}: {answer.Status} {answer.Body?["title"]} {answer.Body?["detail"]}".TrimEnd());

    private const string BacktestPath = "api/v1/console/backtest";

    private static string RulePath(string id) => "api/v1/rules/" + Uri.EscapeDataString(id);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, ServerTarget target, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                throw new CliServerException($"cannot reach {target.Server}: {exception.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliServerException($"{target.Server} did not answer {request.Method} {request.RequestUri} in {http.Timeout.TotalSeconds:0} s");
            }
        }
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
