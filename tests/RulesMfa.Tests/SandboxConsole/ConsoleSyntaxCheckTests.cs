using RulesMfa.Tests.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.SandboxConsole;

/// <summary>
/// The console's live syntax check through the admin API of the real host: it parses a draft rule as a save and a deploy do,
/// and answers with the same line, column and message, inside the admin API's authorization.
/// </summary>
[NonParallelizable]
public sealed class ConsoleSyntaxCheckTests
{
    private const string Tenant = "check";
    private const string Valid = "function (user, context, callback) {\n  callback(null, user, context);\n}\n";
    private const string Broken = "function (user, context, callback) {\n  var ok = true;\n  if (ok {\n  }\n  callback(null, user, context);\n}\n";

    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;

    [SetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        api = await AdminApiClient.CreateAsync(server, Tenant);
    }

    [TearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Check_ValidSource_IsOk()
    {
        var check = await api.PostAsync("/console/check", new { id = "010-allow", source = Valid });

        Assert.Multiple(() =>
        {
            Assert.That(check.Status, Is.EqualTo(200), check.Text);
            Assert.That(check.Json["ok"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public async Task Check_SyntaxError_ReportsTheLineColumnAndMessageOfADeploy()
    {
        var check = await api.PostAsync("/console/check", new { id = "020-broken", source = Broken });
        var save = await api.PutAsync("/rules/020-broken", new { source = Broken });
        var draft = await api.PutAsync("/console/draft", new { rules = new[] { new { id = "020-broken", source = Broken } } });
        var deploy = await api.PostAsync("/console/draft/deploy", new { confirm = true });

        var saveError = save.Json["errors"]![0]!;
        var deployError = deploy.Json["rules"]!["020-broken"]!["errors"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(check.Status, Is.EqualTo(200), check.Text);
            Assert.That(check.Json["ok"]!.GetValue<bool>(), Is.False);
            Assert.That(check.Json["line"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(check.Json["column"]!.GetValue<int>(), Is.EqualTo(10), "the '{' after 'if (ok', 1-based");
            Assert.That(save.Status, Is.EqualTo(400), save.Text);
            Assert.That(check.Json["line"]!.GetValue<int>(), Is.EqualTo(saveError["line"]!.GetValue<int>()), "as a save reports");
            Assert.That(check.Json["column"]!.GetValue<int>(), Is.EqualTo(saveError["column"]!.GetValue<int>()));
            Assert.That(check.Json["message"]!.GetValue<string>(), Is.EqualTo(saveError["message"]!.GetValue<string>()));
            Assert.That(draft.Status, Is.EqualTo(200), draft.Text);
            Assert.That(deploy.Status, Is.EqualTo(422), deploy.Text);
            Assert.That(check.Json["line"]!.GetValue<int>(), Is.EqualTo(deployError["line"]!.GetValue<int>()), "as a deploy reports");
            Assert.That(check.Json["column"]!.GetValue<int>(), Is.EqualTo(deployError["column"]!.GetValue<int>()));
            Assert.That(check.Json["message"]!.GetValue<string>(), Is.EqualTo(deployError["message"]!.GetValue<string>()));
        });
    }

    [Test]
    public async Task Check_WithoutSource_IsA400NamingTheField()
    {
        var check = await api.PostAsync("/console/check", new { id = "rule" });

        Assert.Multiple(() =>
        {
            Assert.That(check.Status, Is.EqualTo(400), check.Text);
            Assert.That(check.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("source"));
        });
    }

    [Test]
    public async Task Check_WithoutCredentials_Is401()
    {
        using var http = new HttpClient();

        var response = await http.PostAsync($"{server.Issuer(Tenant)}/api/v1/console/check",
            new StringContent("{\"source\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.That((int)response.StatusCode, Is.EqualTo(401));
    }
}
