using System.Text;
using System.Text.RegularExpressions;
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
    private const float NavigationTimeout = 30_000;

    /// <summary>
    /// Waits until the page's URL matches <paramref name="url"/> (a glob: <c>**</c> any characters, <c>*</c> any but <c>/</c>),
    /// then until <paramref name="usable"/> is visible. The URL is polled, never waited for with
    /// <see cref="IPage.WaitForURLAsync(string, PageWaitForURLOptions?)"/>: when the URL is already reached at the call, that waits
    /// for the load event whatever WaitUntil says (Commit included), and stalled 30 s so.
    /// </summary>
    public static async Task WaitForPageAsync(this IPage page, string url, ILocator usable, float? timeout = null)
    {
        await Assertions.Expect(page).ToHaveURLAsync(GlobPattern(url), new() { Timeout = timeout ?? NavigationTimeout });
        await usable.WaitForAsync(new() { Timeout = timeout });
    }

    /// <summary>Opens <paramref name="url"/>, waiting only until the page it ends on (after the server's redirects) is committed, then until <paramref name="usable"/> is visible.</summary>
    public static async Task GoToPageAsync(this IPage page, string url, ILocator usable, float? timeout = null)
    {
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = timeout });
        await usable.WaitForAsync(new() { Timeout = timeout });
    }

    /// <summary>Reloads the page, waiting only until the new document is committed, then until <paramref name="usable"/> is visible.</summary>
    public static async Task ReloadPageAsync(this IPage page, ILocator usable, float? timeout = null)
    {
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit, Timeout = timeout });
        await usable.WaitForAsync(new() { Timeout = timeout });
    }

    private static Regex GlobPattern(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var index = 0; index < glob.Length; index++)
        {
            if (glob[index] != '*')
            {
                pattern.Append(Regex.Escape(glob[index].ToString()));
            }
            else if (index + 1 < glob.Length && glob[index + 1] == '*')
            {
                pattern.Append(".*");
                index++;
            }
            else
            {
                pattern.Append("[^/]*");
            }
        }

        return new Regex(pattern.Append('$').ToString());
    }
}
