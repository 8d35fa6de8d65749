using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace RulesMfa.Benchmarks.Flood;

/// <summary>
/// A tenant's machine client keeps <paramref name="inFlight"/> console runs of one hostile rule in flight at once:
/// issue 11 finding 6's <c>while (true) {}</c>, or issue 20's 60,000-word alternation. A refused run (429) is sent
/// again after its <c>Retry-After</c>.
/// </summary>
internal sealed class ConsoleFlood(string apiBase, string token, int inFlight, string ruleSource)
{
    /// <summary>The attacks by name: the rule each console run sends.</summary>
    public static IReadOnlyDictionary<string, string> Attacks { get; } = new Dictionary<string, string>
    {
        ["spin"] = "function (user, context, callback) { while (true) {} }",
        ["big-alternation"] = """
            function bigAlternation(user, context, callback) {
              let s = 'w0';
              for (let i = 1; i < 60000; i++) s += '|w' + i;
              const re = new RegExp('^(' + s + ')$');
              context.idToken['https://x.example/m'] = re.test('w119999');
              callback(null, user, context);
            }
            """,
    };

    private readonly object run = new
    {
        rules = new[] { new { id = "attack", source = ruleSource } },
        input = new { user = new { }, context = new { } },
    };

    private int completed;
    private int refused;
    private int failed;

    public int Completed => completed;

    public int Refused => refused;

    public int Failed => failed;

    public async Task RunAsync(CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => KeepSendingAsync(http, stop)));
    }

    private async Task KeepSendingAsync(HttpClient http, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(apiBase + "/console/evaluate", run, stop);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), stop);
                }
                else if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
