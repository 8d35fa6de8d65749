using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// Finding 10 of issue 11, end to end: a rule that saved 63-level-deep metadata turned that user's logins and the
/// whole decision log into 500s. Now such a patch is a limit fault of the rule, and metadata already stored deeper
/// than the limit (written straight into the database here) decides the login by the tenant's fail mode, tells the
/// admin, and never breaks a page or an API.
/// </summary>
[NonParallelizable]
public sealed class DeepMetadataTests
{
    private const string Password = "a long enough password";
    private const string Reason = "The user's user_metadata is nested deeper than 32 levels or is not JSON; the rules were not run.";

    private const string Rule = """
        function (user, context, callback) {
          if (user.email.startsWith('saver@')) {
            let value = {}; for (let i = 1; i < 63; i++) { value = { a: value }; }
            return auth0.users.updateUserMetadata(user.user_id, value).then(() => callback(null, user, context));
          }
          let levels = 0; for (let value = user.user_metadata; value && typeof value === 'object'; value = value.a) { levels++; }
          context.idToken['https://deep.example/levels'] = levels;
          callback(null, user, context);
        }
        """;

    private readonly TempFolder logs = new();
    private RulesMfaServer server = null!;
    private RelyingParty deny = null!;
    private RelyingParty mfa = null!;
    private AdminApiClient api = null!;

    private string LogFile => Path.Combine(logs.Path, "rulesmfa.json");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync("--Server:LogFile", LogFile);
        await server.AddTenantAsync("deep");
        await server.AddTenantAsync("deep-mfa", new TenantSettings { FailMode = FailMode.RequireMfa });
        foreach (var (tenant, email) in new[] { ("deep", "stored@deep.example"), ("deep", "saver@deep.example"), ("deep", "fine@deep.example"), ("deep-mfa", "stored@deep-mfa.example") })
        {
            await server.AddUserAsync(tenant, email, Password);
        }

        await server.SetRulesAsync("deep", ("levels", Rule));
        await server.SetRulesAsync("deep-mfa", ("levels", Rule));
        await StoreUserMetadataAsync("stored@deep.example", Nested(40));
        await StoreUserMetadataAsync("stored@deep-mfa.example", Nested(100));
        await StoreUserMetadataAsync("fine@deep.example", Nested(32));
        deny = await RelyingParty.StartAsync(server, "deep", "deep-web");
        mfa = await RelyingParty.StartAsync(server, "deep-mfa", "deep-mfa-web");
        api = await AdminApiClient.CreateAsync(server, "deep");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await deny.DisposeAsync();
        await mfa.DisposeAsync();
        await server.DisposeAsync();
        logs.Dispose();
    }

    [Test]
    public async Task RuleSavingMetadata63LevelsDeep_IsALimitFault_AndTheUsersNextLoginAndTheLogStillWork()
    {
        using var browser = new FormBrowser();

        var first = await LoginFlow.SignInAsync(browser, deny, "saver@deep.example", Password);
        var second = await LoginFlow.SignInAsync(new FormBrowser(), deny, "saver@deep.example", Password);
        var decisions = await api.GetAsync("/decisions?limit=2");
        var stored = await server.GetUserAsync("deep", "saver@deep.example");

        Assert.Multiple(() =>
        {
            Assert.That(first.Text("error"), Is.EqualTo("access_denied"), first.Html);
            Assert.That(first.Text("error-description"), Is.EqualTo("Rule 'levels' made the user_metadata patch deeper than 32 levels."));
            Assert.That(second.Text("error-description"), Is.EqualTo(first.Text("error-description")), "the next login is decided the same way");
            Assert.That(stored.UserMetadataJson, Is.EqualTo("{}"), "the patch was not saved");
            Assert.That(decisions.Status, Is.EqualTo(200), decisions.Text);
            Assert.That(decisions.Json[0]!["decision"]!["rules"]![0]!["limit"]!.GetValue<string>(), Is.EqualTo("output-depth"));
        });
    }

    [Test]
    public async Task LoginOfAUserWithMetadataStoredTooDeep_IsDeniedByTheFailMode_AndTheAdminIsTold()
    {
        using var browser = new FormBrowser();
        var user = await server.GetUserAsync("deep", "stored@deep.example");

        var result = await LoginFlow.SignInAsync(browser, deny, "stored@deep.example", Password);
        var decisions = await api.GetAsync("/decisions?limit=1");

        Assert.Multiple(() =>
        {
            Assert.That(result.Text("error"), Is.EqualTo("access_denied"), result.Html);
            Assert.That(result.Text("error-description"), Is.EqualTo(Reason));
            Assert.That(decisions.Status, Is.EqualTo(200), decisions.Text);
            var logged = decisions.Json[0]!;
            Assert.That(logged["userId"]!.GetValue<string>(), Is.EqualTo(user.Id));
            Assert.That(logged["decision"]!["error"]!["description"]!.GetValue<string>(), Is.EqualTo(Reason));
            Assert.That(logged["decision"]!["rules"]![0]!["status"]!.GetValue<string>(), Is.EqualTo("skipped"), "no rule ran");
            Assert.That(logged["input"]!["user"]!["user_metadata"]!.ToJsonString(), Is.EqualTo("{}"), "the unreadable document is not logged");
            Assert.That(ReadLog(), Does.Contain("\"AuditEvent\":\"rules.input-unreadable\"").And.Contain(user.Id), "a log line for the admin");
        });
    }

    [Test]
    public async Task LoginOfAUserWithMetadataStoredTooDeep_InATenantFailingToMfa_MustDoMfa()
    {
        using var browser = new FormBrowser();

        var result = await LoginFlow.SignInAsync(browser, mfa, "stored@deep-mfa.example", Password);

        Assert.That(result.Url.AbsolutePath, Is.EqualTo("/deep-mfa/mfa/enroll"), "the rules would have let the user in with a password only: " + result.Html);
    }

    [Test]
    public async Task LoginOfAUserWithMetadataOf32Levels_RunsTheRulesWithIt()
    {
        using var browser = new FormBrowser();

        await LoginFlow.SignInAsync(browser, deny, "fine@deep.example", Password);
        var me = await LoginFlow.MeAsync(browser, deny);

        Assert.That(me.GetProperty("idToken").GetProperty("https://deep.example/levels").GetRawText(), Is.EqualTo("32"));
    }

    [Test]
    public async Task DecisionLog_WithARecordStoredTooDeep_ListsTheOthersAndANoteForIt()
    {
        var user = await server.GetUserAsync("deep", "fine@deep.example");
        await server.WithServicesAsync(async services =>
        {
            var database = services.GetRequiredService<RulesMfaDbContext>();
            database.Decisions.Add(new DecisionRecord
            {
                TenantId = "deep", UserId = user.Id, At = DateTimeOffset.UtcNow, Protocol = "oidc-basic-profile", Plan = "None: stored before the limit",
                InputJson = $$$"""{"user":{"user_metadata":{{{Nested(63)}}}},"context":{}}""", DecisionJson = """{"outcome":"allow"}""",
            });
            return await database.SaveChangesAsync();
        });

        var decisions = await api.GetAsync("/decisions?limit=1");

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Status, Is.EqualTo(200), decisions.Text);
            Assert.That(decisions.Json[0]!["input"]!.GetValue<string>(), Is.EqualTo("not shown: nested deeper than 34 levels"));
            Assert.That(decisions.Json[0]!["decision"]!["outcome"]!.GetValue<string>(), Is.EqualTo("allow"));
        });
    }

    /// <summary>The console gives the decision a login with the same input gets: for a real user, and for an input written by hand.</summary>
    [Test]
    public async Task Console_ForMetadataNestedTooDeep_ShowsTheFailModesDecisionAsALoginGetsIt()
    {
        var user = await server.GetUserAsync("deep", "stored@deep.example");

        var stored = await api.PostAsync("/console/evaluate", new { login = new { userId = user.Id, clientId = deny.ClientId } });
        var given = await api.PostAsync("/console/evaluate", new { input = new { user = new { email = "given@deep.example", user_metadata = JsonNode.Parse(Nested(61)) } } });

        Assert.Multiple(() =>
        {
            foreach (var console in new[] { stored, given })
            {
                Assert.That(console.Status, Is.EqualTo(200), console.Text);
                Assert.That(console.Json["decision"]!["error"]!["description"]!.GetValue<string>(), Is.EqualTo(Reason));
                Assert.That(console.Json["plan"]!["kind"]!.GetValue<string>(), Is.EqualTo("deny"));
                Assert.That(console.Json["input"]!["user"]!["user_metadata"]!.ToJsonString(), Is.EqualTo("{}"));
            }
        });
    }

    /// <summary>JSON of an object nested <paramref name="levels"/> levels (<c>{}</c> is one).</summary>
    private static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);

    private async Task StoreUserMetadataAsync(string email, string json) => await server.WithServicesAsync(async services =>
    {
        var database = services.GetRequiredService<RulesMfaDbContext>();
        var user = await database.Users.SingleAsync(record => record.Email == email);
        user.UserMetadataJson = json;
        return await database.SaveChangesAsync();
    });

    private string ReadLog()
    {
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
