using System.Text.Json.Nodes;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The console runs the same pipeline as logins: for a real login (the stock OpenID Connect client, through the
/// hosted pages) and a console run with the same user, IP, client, browser, query and clock, the decisions are equal.
/// </summary>
[NonParallelizable]
public sealed class ConsoleMatchesLoginTests
{
    private const string Tenant = "shop";
    private const string Email = "ada@shop.example";
    private const string Password = "a long enough password";
    private const string UserAgent = "ConsoleParity/1.0 (X11; Linux x86_64)";

    // Reads most of what a login carries, so any difference between the two inputs shows in the decision.
    private const string EchoRule = """
        function (user, context, callback) {
          const request = context.request;
          context.idToken['https://shop.example/seen'] = {
            ip: request.ip, ua: request.userAgent, client: context.clientID, protocol: context.protocol,
            country: (request.geoip || {}).country_code || null, scope: request.query.scope, day: new Date().toISOString().slice(0, 10),
            email: user.email, roles: user.app_metadata.roles || [], logins: context.stats.loginsCount,
          };
          if (request.userAgent.indexOf('ConsoleParity') === -1) { context.multifactor = { provider: 'any' }; }
          console.log('seen ' + request.ip);
          callback(null, user, context);
        }
        """;

    private const string EchoAction = """
        exports.onExecutePostLogin = async (event, api) => {
          api.accessToken.setCustomClaim('https://shop.example/client', event.client.client_id);
          api.user.setAppMetadata('last_ua', event.request.user_agent);
        };
        """;

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync("--GeoIp:DatabasePath", RepositoryPaths.GeoIpDatabase);
        await server.AddTenantAsync(Tenant);
        await server.AddUserAsync(Tenant, Email, Password, new { roles = new[] { "buyer" } });
        app = await RelyingParty.StartAsync(server, Tenant, "shop-web");
        api = await AdminApiClient.CreateAsync(server, Tenant);
        Assert.That((await api.PutAsync("/rules/010-echo", new { source = EchoRule })).Status, Is.EqualTo(200));
        Assert.That((await api.PutAsync("/rules/020-echo-action", new { source = EchoAction })).Status, Is.EqualTo(200));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task ConsoleRun_WithARealLoginsInput_GivesExactlyItsDecision()
    {
        using var browser = new FormBrowser(new Dictionary<string, string> { ["User-Agent"] = UserAgent });
        await LoginFlow.SignInAsync(browser, app, Email, Password);
        var recorded = (await api.GetAsync("/decisions?limit=1")).Json[0]!;
        var user = await server.GetUserAsync(Tenant, Email);
        var context = recorded["input"]!["context"]!;

        var console = await api.PostAsync("/console/evaluate", new
        {
            login = new
            {
                userId = user.Id, ip = context["request"]!["ip"]!.GetValue<string>(), clientId = app.ClientId, userAgent = UserAgent,
                hostname = context["request"]!["hostname"]!.GetValue<string>(), query = context["request"]!["query"],
            },
            now = recorded["at"]!.GetValue<DateTimeOffset>(),
        });

        Assert.That(console.Status, Is.EqualTo(200), console.Text);
        var loginDecision = WithoutTimings(recorded["decision"]!);
        var consoleDecision = WithoutTimings(console.Json["decision"]!);
        Assert.Multiple(() =>
        {
            Assert.That(loginDecision["idTokenClaims"]!["https://shop.example/seen"]!["ua"]!.GetValue<string>(), Is.EqualTo(UserAgent), "the login really carried the input");
            Assert.That(consoleDecision.ToJsonString(), Is.EqualTo(loginDecision.ToJsonString()));
            Assert.That(console.Json["plan"]!["kind"]!.GetValue<string>(), Is.EqualTo("none"));
        });
    }

    [Test]
    public async Task ConsoleRun_WithAnotherBrowser_GivesAnotherDecision()
    {
        var user = await server.GetUserAsync(Tenant, Email);

        var console = await api.PostAsync("/console/evaluate", new { login = new { userId = user.Id, ip = "127.0.0.1", clientId = app.ClientId, userAgent = "Other/2.0" } });

        Assert.Multiple(() =>
        {
            Assert.That(console.Json["decision"]!["outcome"]!.GetValue<string>(), Is.EqualTo("mfa"), "the comparison above could fail");
            Assert.That(console.Json["plan"]!["kind"]!.GetValue<string>(), Is.EqualTo("enroll"));
        });
    }

    private static JsonNode WithoutTimings(JsonNode decision)
    {
        var copy = decision.DeepClone();
        foreach (var rule in copy["rules"]!.AsArray())
        {
            rule!.AsObject().Remove("durationMs");
        }

        return copy;
    }
}
