using Microsoft.Playwright;

namespace RulesMfa.Tests.Support;

/// <summary>Debian's Chromium, driven by Playwright without a browser download (see the browser-tests notes).</summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    /// <summary>Fails the test (never skips it) when the browser is missing.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.That(File.Exists(Path), Is.True, $"{Path} is missing: run ./test.sh, which installs Debian's chromium with apt-get.");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
