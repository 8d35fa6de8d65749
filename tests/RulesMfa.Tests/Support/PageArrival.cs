using Microsoft.Playwright;

namespace RulesMfa.Tests.Support;

/// <summary>
/// Waits for a navigation to end on a page the test goes on with: the URL as soon as the new page is committed, then an
/// element of that page which proves it usable (one the test uses next; on a page whose script answers a control, an element
/// that script marks). Not Playwright's default, the load event, which also waits for every image, style sheet and font: a
/// clean CI run timed out after 30 s waiting for it with the URL already reached (see ConsoleAccessibilityTests).
/// </summary>
internal static class PageArrival
{
    /// <summary>Waits until the page's URL matches <paramref name="url"/> (a glob, as <see cref="IPage.WaitForURLAsync(string, PageWaitForURLOptions?)"/> takes), then until <paramref name="usable"/> is visible.</summary>
    public static async Task WaitForPageAsync(this IPage page, string url, ILocator usable, float? timeout = null)
    {
        await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = timeout });
        await usable.WaitForAsync(new() { Timeout = timeout });
    }
}
