using System.Text.Json;
using Microsoft.Playwright;

namespace RulesMfa.Tests.Support;

/// <summary>
/// Runs axe-core (npm, <see cref="RepositoryPaths.AxeCore"/>) on the page as it is and returns its serious and critical
/// violations, each as <c>rule: help (elements)</c>. The page must come from a context that bypasses the page's CSP: the
/// script is injected inline, which the console's strict policy rightly refuses.
/// </summary>
internal static class AxeCheck
{
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = RepositoryPaths.AxeCore });
        }

        var found = await page.EvaluateAsync<string>("""
            async () => JSON.stringify((await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
              .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`))
            """);
        return JsonSerializer.Deserialize<string[]>(found)!;
    }
}
