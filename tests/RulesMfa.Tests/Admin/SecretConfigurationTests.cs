using RulesMfa.Host.Admin;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// A secret configuration value reaches the rules of real logins (and the tokens they issue) but no admin can read it:
/// console and test runs get a placeholder, and the decision log, the server log and error pages hide it.
/// </summary>
[NonParallelizable]
public sealed class SecretConfigurationTests
{
    private const string Tenant = "vault";
    private const string Secret = "s3cr3t-api-key-7f2b9c";
    private const string Password = "a long enough password";

    // Everything a curious admin might try: print it, spell it out backwards, put it in a claim, branch on it.
    private const string ShowsTheSecret = """
        function (user, context, callback) {
          console.log('key: ' + configuration.API_KEY);
          console.log('spelled: ' + configuration.API_KEY.split('').reverse().join(' '));
          context.idToken['https://example.com/key'] = configuration.API_KEY;
          context.idToken['https://example.com/region'] = configuration.REGION;
          if (user.email.startsWith('thrower')) throw new Error('the API refused key ' + configuration.API_KEY);
          if (configuration.API_KEY.startsWith('s3cr3t')) context.multifactor = { provider: 'none', guessed: true };
          callback(null, user, context);
        }
        """;

    private readonly TempFolder logs = new();
    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;
    private RelyingParty app = null!;

    private string LogFile => Path.Combine(logs.Path, "rulesmfa.json");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync("--Server:LogFile", LogFile);
        await server.AddTenantAsync(Tenant);
        await server.AddUserAsync(Tenant, "ada@vault.example", Password);
        await server.AddUserAsync(Tenant, "thrower@vault.example", Password);
        api = await AdminApiClient.CreateAsync(server, Tenant);
        await api.PutAsync("/configuration/API_KEY", new { value = Secret, secret = true });
        await api.PutAsync("/configuration/REGION", new { value = "eu", secret = false });
        app = await RelyingParty.StartAsync(server, Tenant, "vault-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
        logs.Dispose();
    }

    [Test]
    public async Task Console_RuleThatShowsASecret_SeesOnlyThePlaceholder()
    {
        var run = await api.PostAsync("/console/evaluate", new
        {
            rules = new[] { new { id = "curious", source = ShowsTheSecret } },
            input = new { user = new { email = "ada@vault.example" }, context = new { } },
        });

        var claims = run.Json["decision"]!["idTokenClaims"]!;
        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(200), run.Text);
            Assert.That(run.Text, Does.Not.Contain(Secret).And.Not.Contain(Spelled(Secret)));
            Assert.That(claims["https://example.com/key"]!.GetValue<string>(), Is.EqualTo(TenantConfiguration.Placeholder("API_KEY")));
            Assert.That(claims["https://example.com/region"]!.GetValue<string>(), Is.EqualTo("eu"), "plain values are real");
            Assert.That(run.Json["decision"]!["multifactor"], Is.Null, "a branch on the secret tells nothing either");
        });
    }

    [Test]
    public async Task Console_RequestWithItsOwnValue_RulesSeeThatValue()
    {
        var run = await api.PostAsync("/console/evaluate", new
        {
            rules = new[] { new { id = "curious", source = ShowsTheSecret } },
            input = new { user = new { email = "ada@vault.example" }, context = new { } },
            configuration = new Dictionary<string, string> { ["API_KEY"] = "s3cr3t-for-testing" },
        });

        Assert.Multiple(() =>
        {
            Assert.That(run.Json["decision"]!["idTokenClaims"]!["https://example.com/key"]!.GetValue<string>(), Is.EqualTo("s3cr3t-for-testing"));
            Assert.That(run.Json["decision"]!["multifactor"]!["provider"]!.GetValue<string>(), Is.EqualTo("none"));
        });
    }

    [Test]
    public async Task Console_OwnValueThatIsNotAString_IsRefusedNamingIt()
    {
        var refused = await api.SendRawAsync(HttpMethod.Post, "/console/evaluate",
            """{"input": {"user": {}, "context": {}}, "configuration": {"API_KEY": 42}}""");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("configuration.API_KEY"));
        });
    }

    [Test]
    public async Task SaveRule_FailingCaseThatWouldPrintTheSecret_422ShowsThePlaceholder()
    {
        var refused = await api.PutAsync("/rules/leaky", new
        {
            source = ShowsTheSecret,
            tests = new { cases = new[] { new { name = "guess", user = new { email = "ada@vault.example" }, context = new { }, expect = new { idTokenClaims = new Dictionary<string, string> { ["https://example.com/key"] = "a guess" } } } } },
        });

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(422), refused.Text);
            Assert.That(refused.Text, Does.Not.Contain(Secret).And.Contain(TenantConfiguration.Placeholder("API_KEY")));
        });
    }

    [Test]
    public async Task SaveRule_CasesWithTheirOwnConfiguration_RunWithIt()
    {
        var saved = await api.PutAsync("/rules/tested-with-own-key", new
        {
            source = ShowsTheSecret,
            tests = new
            {
                configuration = new Dictionary<string, string> { ["API_KEY"] = "s3cr3t-in-the-test", ["REGION"] = "us" },
                cases = new[] { new { name = "own key", user = new { email = "ada@vault.example" }, context = new { }, expect = new { idTokenClaims = new Dictionary<string, string> { ["https://example.com/key"] = "s3cr3t-in-the-test" } } } },
            },
        });

        Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
    }

    [Test]
    public async Task Login_RuleThatShowsASecret_TokenHasItButNoLogOrErrorPageDoes()
    {
        await server.SetRulesAsync(Tenant, ("010-curious", ShowsTheSecret));
        using var ada = new FormBrowser();
        await LoginFlow.SignInAsync(ada, app, "ada@vault.example", Password);
        var me = await LoginFlow.MeAsync(ada, app);
        using var thrower = new FormBrowser();
        var errorPage = await LoginFlow.SignInAsync(thrower, app, "thrower@vault.example", Password);

        var decisions = await api.GetAsync("/decisions");
        var serverLog = await ReadSharedAsync(LogFile);
        Assert.Multiple(() =>
        {
            Assert.That(me.GetProperty("idToken").GetProperty("https://example.com/key").GetString(), Is.EqualTo(Secret), "the app gets the claim the rule set");
            Assert.That(errorPage.Text("error-description"), Is.EqualTo($"the API refused key {SecretRedaction.Marker("API_KEY")}"));
            Assert.That(decisions.Text, Does.Contain(SecretRedaction.Marker("API_KEY")).And.Not.Contain(Secret));
            Assert.That(serverLog, Does.Contain("\"AuditEvent\":\"rules.fault\"").And.Not.Contain(Secret));
        });
    }

    private static string Spelled(string text) => string.Join(' ', text.Reverse());

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return await new StreamReader(file).ReadToEndAsync();
    }
}
