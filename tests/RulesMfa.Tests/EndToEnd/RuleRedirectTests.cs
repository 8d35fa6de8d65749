namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// A rule that sends the user to another page before the login goes on (Auth0's <c>context.redirect</c>, an Action's
/// <c>api.redirect.sendUserTo</c>: a consent, an outside check) is never skipped: this server does not follow redirects,
/// so the login is refused and the app is told why, rather than signed in as if the rule had not asked.
/// </summary>
[NonParallelizable]
public sealed class RuleRedirectTests
{
    private const string Password = "a long enough password";

    /// <summary>The user must pass an outside check before the login completes; no MFA otherwise.</summary>
    private const string OutsideCheck = """
        function outsideCheck(user, context, callback) {
          if (context.protocol !== 'redirect-callback') {
            context.redirect = { url: 'https://check.example/verify?user=' + encodeURIComponent(user.user_id) };
          }
          callback(null, user, context);
        }
        """;

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("gate", displayName: "Gate");
        await server.SetRulesAsync("gate", ("010-outside-check", OutsideCheck));
        app = await RelyingParty.StartAsync(server, "gate", "gate-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Login_RuleAsksForARedirect_IsRefusedWithWhy_NotSignedIn()
    {
        await server.AddUserAsync("gate", "visitor@gate.example", Password);
        using var browser = new FormBrowser();

        var result = await LoginFlow.SignInAsync(browser, app, "visitor@gate.example", Password);
        var me = await browser.GetAsync(app.BaseUrl + "/me.json");

        Assert.Multiple(() =>
        {
            Assert.That(result.Text("error"), Is.EqualTo("access_denied"), result.Html);
            Assert.That(result.Text("error-description"), Is.EqualTo(
                "The rules asked to send the user to another page first (context.redirect, api.redirect.sendUserTo), which this server does not do, so the login is refused."));
            Assert.That((int)me.Status, Is.Not.EqualTo(200), "the app signed nobody in");
        });
    }
}
