using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace RulesMfa.Benchmarks.Flood;

/// <summary>
/// The attack of issue 11 finding 6: a tenant's machine client keeps <paramref name="inFlight"/> console runs of
/// <c>while (true) {}</c> in flight at once. A refused run (429) is sent again after its <c>Retry-After</c>.
/// </summary>
internal sealed class ConsoleFlood(string apiBase, string token, int inFlight)
{
    private static readonly object SpinRun = new
    {
        rules = new[] { new { id = "spin", source = "function (user, context, callback) { while (true) {} }" } },
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
                using var response = await http.PostAsJsonAsync(apiBase + "/console/evaluate", SpinRun, stop);
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
