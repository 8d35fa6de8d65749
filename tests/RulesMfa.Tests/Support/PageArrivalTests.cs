using Microsoft.Playwright;

namespace RulesMfa.Tests.Support;

/// <summary>
/// <see cref="PageArrival"/> in Chromium, on a page served by a route whose image is held until the test ends, so that the
/// page's load event does not fire meanwhile.
/// </summary>
[Category("Browser")]
public sealed class PageArrivalTests
{
    private const string Site = "http://arrival.test";

    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await Chromium.LaunchAsync(playwright);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    [Test]
    public async Task WaitForPageAsync_UrlReachedBeforeTheCall_ReturnsOnceTheElementShows_WithoutTheLoadEvent()
    {
        var page = await browser.NewPageAsync();
        var imageHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync($"{Site}/**", async route =>
        {
            if (route.Request.Url.EndsWith("/held.png", StringComparison.Ordinal))
            {
                await imageHeld.Task;
                await route.AbortAsync();
                return;
            }

            await route.FulfillAsync(new() { ContentType = "text/html", Body = "<h1>Arrived</h1><img src=\"/held.png\" alt=\"\"><button>Go on</button>" });
        });
        try
        {
            await page.GotoAsync($"{Site}/arrived", new() { WaitUntil = WaitUntilState.Commit });

            await page.WaitForPageAsync("**/arrived", page.GetByRole(AriaRole.Button, new() { Name = "Go on" }));
            var readyState = await page.EvaluateAsync<string>("() => document.readyState");

            Assert.That(readyState, Is.EqualTo("interactive"), "the load event has not fired: the image is still held");
        }
        finally
        {
            imageHeld.TrySetResult();
            await page.CloseAsync();
        }
    }
}
