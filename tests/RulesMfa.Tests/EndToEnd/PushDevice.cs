using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using RulesMfa.Host.Factors.Push;
using RulesMfa.Tests.Cli;
using RulesMfa.Tests.Factors.Push;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The companion device as a test drives it: <c>rulesmfa device …</c> run as a separate process on its own device file,
/// and, for the refusals, the same device's file read back to send hand-made answers to the device API.
/// </summary>
internal sealed class PushDevice(string file)
{
    public string File { get; } = file;

    public Task<CliRun> RunAsync(params string[] args) => CliProcess.RunAsync(new Dictionary<string, string>(), ["device", .. args, "--device-file", File]);

    /// <summary>Runs a verb that must succeed; fails the test with its output otherwise.</summary>
    public async Task<string> RunOkAsync(params string[] args)
    {
        var run = await RunAsync(args);
        Assert.That(run.ExitCode, Is.Zero, $"rulesmfa device {string.Join(' ', args)} failed:\n{run.Output}\n{run.Error}");
        return run.Output;
    }

    /// <summary>The id of the only sign-in <c>device pending</c> lists.</summary>
    public async Task<string> PendingIdAsync()
    {
        var listed = await RunOkAsync("pending", "--wait", "5");
        var ids = listed.Split('\n').Where(line => line.StartsWith("tx_", StringComparison.Ordinal)).Select(line => line.Split(' ')[0]).ToList();
        Assert.That(ids, Has.Count.EqualTo(1), listed);
        return ids[0];
    }

    public JsonElement Saved => JsonDocument.Parse(System.IO.File.ReadAllText(File)).RootElement;

    public JsonElement Account => Saved.GetProperty("accounts")[0];

    /// <summary>The pending requests, straight from the device API with the device's token.</summary>
    public async Task<IReadOnlyList<PushPendingTransaction>> PendingAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Account.GetProperty("baseUrl").GetString()}/api/device-accounts/{Account.GetProperty("id").GetString()}/pending-transactions");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Account.GetProperty("token").GetString());
        using var response = await http.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PushPendingList>())!.Transactions;
    }

    /// <summary>A signed answer with this device's key unless another is given; every claim can be changed.</summary>
    public string Answer(PushPendingTransaction pending, bool accepted = true, string? digits = null, RSA? key = null, string? challenge = null,
        DateTime? issuedAt = null, TimeSpan? lifetime = null, string? audience = null)
    {
        using var own = RSA.Create();
        own.ImportPkcs8PrivateKey(Convert.FromBase64String(Saved.GetProperty("privateKey").GetString()!), out _);
        return PushAnswers.Sign(key ?? own, Saved.GetProperty("identifier").GetString()!, challenge ?? pending.Challenge, digits, issuedAt ?? DateTime.UtcNow,
            lifetime, accepted, audience: audience ?? ResolveUrl);
    }

    /// <summary>Posts an answer to <paramref name="resolveUrl"/> (default: the device's own server) with the request's token.</summary>
    public static async Task<(int Status, string Error)> ResolveAsync(string resolveUrl, string transactionToken, string answer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, resolveUrl) { Content = JsonContent.Create(new PushResolveRequest(answer)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", transactionToken);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body.Length == 0 ? "" : JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!);
    }

    public string ResolveUrl => Account.GetProperty("baseUrl").GetString() + PushClaims.ResolvePath;
}
