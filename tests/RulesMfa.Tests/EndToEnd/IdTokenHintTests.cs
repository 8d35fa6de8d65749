using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>An authorization request that carries the user's ID token as <c>id_token_hint</c>: rules and the decision log never see it.</summary>
[NonParallelizable]
public sealed class IdTokenHintTests
{
    private const string Tenant = "hint";
    private const string Email = "ada@hint.example";
    private const string Password = "a long enough password";

    // Puts the names of the request parameters the rules saw into the ID token, where the test can read them.
    private const string ShowQuery =
        "function (user, context, callback) { context.idToken['https://example.com/query'] = Object.keys(context.request.query).sort().join(' '); callback(null, user, context); }";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        await server.AddUserAsync(Tenant, Email, Password);
        await server.SetRulesAsync(Tenant, ("010-show-query", ShowQuery));
        app = await RelyingParty.StartAsync(server, Tenant, "hint-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Authorize_WithIdTokenHint_RulesAndDecisionLogNeverSeeIt()
    {
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, app, Email, Password);

        // The app re-authenticates its signed-in user: prompt=login with its ID token as id_token_hint.
        var again = await browser.GetAsync(app.BaseUrl + "/login?prompt=login");
        await browser.SubmitAsync(again, new Dictionary<string, string> { ["Email"] = Email, ["Password"] = Password });
        var me = await LoginFlow.MeAsync(browser, app);

        var seenByRules = me.GetProperty("idToken").GetProperty("https://example.com/query").GetString();
        var logged = await server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().Decisions.AsNoTracking()
            .Where(decision => decision.TenantId == Tenant).OrderByDescending(decision => decision.Id).Select(decision => decision.InputJson).FirstAsync());
        Assert.Multiple(() =>
        {
            Assert.That(again.Url.Query, Does.Contain("id_token_hint%3D"), "the hint went to the provider");
            Assert.That(seenByRules, Does.Contain("client_id").And.Not.Contain("id_token_hint"));
            Assert.That(logged, Does.Contain("client_id").And.Not.Contain("id_token_hint").And.Not.Contain("eyJ"), "no token in the decision log");
        });
    }
}
