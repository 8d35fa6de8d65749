using Microsoft.Playwright;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The answer to the first GET a console page sends to a path (after each <see cref="ShowingViewAsync"/>, also a second on one page), fetched from the server at once and kept from the page until
/// the test releases it, as a slow network would: a test orders the console's answers with it instead of waiting for time to
/// pass. Other requests to the path go on as usual. Releasing waits until the page's code has read the held answer and done
/// what it does with it (dropped it, or shown it): its handling ends within the microtasks that follow the read, and the
/// page marks it done in a task queued then.
/// </summary>
internal sealed class HeldAnswer : IAsyncDisposable
{
    private const string Marker = "X-Held-By-Test";

    // Playwright's own default: a loaded 2-core machine can take seconds to answer and render.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly IPage page;
    private readonly TaskCompletionSource fetched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int requests;

    private HeldAnswer(IPage page) => this.page = page;

    /// <summary>Completes once the held request's answer has come from the server.</summary>
    public Task Fetched => fetched.Task;

    /// <summary>Holds the answer to the page's next GET of a URL whose path ends with <paramref name="path"/> (whatever its query).</summary>
    public static async Task<HeldAnswer> NextAsync(IPage page, string path)
    {
        var held = new HeldAnswer(page);
        await page.EvaluateAsync($$"""
            () => {
              window.heldAnswerRead = false;
              if (window.heldAnswerPatched) { return; }
              window.heldAnswerPatched = true;
              const text = Response.prototype.text;
              Response.prototype.text = function () {
                const marked = this.headers.has('{{Marker}}');
                return text.call(this).then((body) => {
                  if (marked) { setTimeout(() => { window.heldAnswerRead = true; }, 0); }
                  return body;
                });
              };
            }
            """);
        await page.RouteAsync(url => new Uri(url).AbsolutePath.EndsWith(path, StringComparison.Ordinal), held.AnswerAsync);
        return held;
    }

    /// <summary>
    /// Shows the console's view named <paramref name="view"/> (its navigation button) with the answer to its first GET of
    /// <paramref name="path"/> held, once that answer has come from the server.
    /// </summary>
    public static async Task<HeldAnswer> ShowingViewAsync(IPage page, string view, string path)
    {
        var held = await NextAsync(page, path);
        await page.GetByRole(AriaRole.Button, new() { Name = view, Exact = true }).ClickAsync();
        await held.Fetched.WaitAsync(Wait);
        return held;
    }

    /// <summary>Gives the held answer to the page and waits until the page's code has handled it.</summary>
    public async Task ReleaseAsync()
    {
        await fetched.Task.WaitAsync(Wait);
        release.TrySetResult();
        await page.WaitForFunctionAsync("() => window.heldAnswerRead === true", null, new() { Timeout = (float)Wait.TotalMilliseconds });
    }

    /// <summary>Lets a held request go at the end of a test that did not release it.</summary>
    public ValueTask DisposeAsync()
    {
        release.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private async Task AnswerAsync(IRoute route)
    {
        if (route.Request.Method != "GET" || Interlocked.Increment(ref requests) != 1)
        {
            await route.FallbackAsync();
            return;
        }

        var answer = await route.FetchAsync();
        fetched.TrySetResult();
        await release.Task;
        var headers = new Dictionary<string, string>(answer.Headers) { [Marker] = "1" };
        await route.FulfillAsync(new() { Response = answer, Headers = headers });
    }
}
