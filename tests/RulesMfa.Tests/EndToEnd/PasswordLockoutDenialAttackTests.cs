using RulesMfa.Tests.Oidc;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// Anyone who knows an email can send wrong passwords for it, and past the free ones each blocks the account for longer,
/// up to 15 minutes; one request a quarter of an hour kept its owner out for good. A browser that already signed in as
/// the account (the password page's known-device cookie) is counted on a counter of its own, so the owner still signs in
/// there, while every other browser stays blocked.
/// </summary>
[NonParallelizable]
public sealed class PasswordLockoutDenialAttackTests
{
    private const string Tenant = "lockout";
    private const string Email = "owner@lockout.example";
    private const string Password = "a long enough password";

    private readonly ShiftedTimeProvider clock = new();
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync(clock);
        await server.AddTenantAsync(Tenant);
        await server.AddUserAsync(Tenant, Email, Password);
        app = await RelyingParty.StartAsync(server, Tenant, "lockout-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task WrongPasswordsFromAnyone_BlockTheAccount_ButNotInTheBrowserItsOwnerSignedInWith()
    {
        using var owners = new FormBrowser();
        var first = await LoginFlow.SignInAsync(owners, app, Email, Password);
        await owners.GetAsync(app.BaseUrl + "/logout");

        // Ten wrong passwords at once, each from a browser of its own, all on their password page before any is sent; then one
        // more each time the block lapses, until the account is blocked for the longest, 15 minutes.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            using var attacker = new FormBrowser();
            var login = await attacker.GetAsync(app.BaseUrl + "/login");
            await start.Task;
            return await attacker.SubmitAsync(login, new Dictionary<string, string> { ["Email"] = Email, ["Password"] = "not the password" });
        })).ToList();
        start.SetResult();
        var refused = await Task.WhenAll(attempts);
        for (var round = 0; round < 10; round++)
        {
            clock.Offset += TimeSpan.FromMinutes(15);
            using var attacker = new FormBrowser();
            await LoginFlow.SignInAsync(attacker, app, Email, "not the password");
        }

        var ownersLogin = await owners.GetAsync(app.BaseUrl + "/login");
        using var owner = await owners.SubmitWithoutRedirectAsync(ownersLogin, new Dictionary<string, string> { ["Email"] = Email, ["Password"] = Password });
        using var stranger = new FormBrowser();
        var elsewhere = await LoginFlow.SignInAsync(stranger, app, Email, Password);

        Assert.Multiple(() =>
        {
            Assert.That(first.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "signed in once before: " + first.Text("login-error"));
            Assert.That(refused.Select(page => page.Text("login-error")), Has.Some.StartsWith("Too many failed sign-ins."), "the account is blocked");
            Assert.That(owner.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Redirect), "the owner's browser passes the password page");
            Assert.That(owner.Headers.Location?.OriginalString, Does.StartWith($"/{Tenant}/connect/authorize?"));
            Assert.That(elsewhere.Text("login-error"), Is.EqualTo("Too many failed sign-ins. Wait 15 minutes and try again."),
                "any other browser stays blocked, even with the right password");
        });
    }
}
