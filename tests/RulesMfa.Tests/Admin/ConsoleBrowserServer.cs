using Microsoft.Playwright;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// What a class of console browser tests starts once: the real server with one tenant and its admins (each test signs in as
/// its own, who enrolls an authenticator app on the way), an admin API client of the tenant, and Chromium.
/// </summary>
internal sealed class ConsoleBrowserServer : IAsyncDisposable
{
    public const string Password = "a long enough password";

    private readonly IPlaywright playwright;
    private readonly string adminDomain;

    private ConsoleBrowserServer(RulesMfaServer server, AdminApiClient api, IPlaywright playwright, IBrowser browser, ConsolePages console, string adminDomain)
    {
        (Server, Api, this.playwright, Browser, Console, this.adminDomain) = (server, api, playwright, browser, console, adminDomain);
    }

    public RulesMfaServer Server { get; }

    public AdminApiClient Api { get; }

    public IBrowser Browser { get; }

    public ConsolePages Console { get; }

    /// <summary>Starts the server with <paramref name="serverArgs"/> and the tenant, whose admins are <c>{admin}@{adminDomain}</c>.</summary>
    public static async Task<ConsoleBrowserServer> StartAsync(
        string tenant, string displayName, string adminDomain, IEnumerable<string> admins, string screenshotPrefix, params string[] serverArgs)
    {
        var server = await RulesMfaServer.StartAsync(serverArgs);
        await server.AddTenantAsync(tenant, displayName: displayName);
        foreach (var admin in admins)
        {
            await server.AddUserAsync(tenant, $"{admin}@{adminDomain}", Password, isAdmin: true);
        }

        var api = await AdminApiClient.CreateAsync(server, tenant);
        var playwright = await Playwright.CreateAsync();
        var browser = await Chromium.LaunchAsync(playwright);
        return new ConsoleBrowserServer(server, api, playwright, browser, new ConsolePages(server, tenant, Password, screenshotPrefix), adminDomain);
    }

    /// <summary>A new page with the console open as <c>{admin}@{adminDomain}</c>; <paramref name="bypassCsp"/> as <see cref="ConsolePages.NewPageAsync"/> takes it.</summary>
    public async Task<IPage> OpenAsync(string admin, bool bypassCsp = true)
    {
        var page = await ConsolePages.NewPageAsync(Browser, bypassCsp);
        await Console.SignInAsync(page, $"{admin}@{adminDomain}");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
