using System.Net;
using System.Text.Json.Nodes;
using RulesMfa.Host.Admin;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.Cli;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.MfaApi;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.SandboxConsole;

/// <summary>
/// Replays and backtests of a real login hide secrets as console test runs do (SECURITY.md, "The admin area"): a login
/// through the password grant, whose rule shows a secret configuration value every way it can, is recorded; replaying it
/// in the console and backtesting a draft on it through the admin API and <c>rulesmfa backtest</c> show neither the secret
/// (the rules see its placeholder, and a branch on it tells nothing) nor the user's password or the client's secret, and
/// neither does the server's log of those runs. The recorded login shown beside a replay is the decision log's, which hides
/// each secret value wherever it appears whole (SECURITY.md).
/// </summary>
[NonParallelizable]
public sealed class RecordedLoginSecretsTests
{
    private const string Tenant = "vaultrun";
    private const string Email = "ada@vaultrun.example";
    private const string Secret = "s3cr3t-api-key-4e8a1d";
    private const string Password = "ada's own long password";

    // Prints it, spells it backwards, puts it in a claim, branches on it, and throws it in an error's message.
    private const string ShowsTheSecret = """
        function (user, context, callback) {
          console.log('key: ' + configuration.API_KEY + ' input: ' + JSON.stringify({ user: user, context: context }));
          console.log('spelled: ' + configuration.API_KEY.split('').reverse().join(' '));
          context.idToken['https://example.com/key'] = configuration.API_KEY;
          if (configuration.API_KEY.startsWith('s3cr3t')) context.multifactor = { provider: 'none', guessed: true };
          callback(null, user, context);
        }
        """;

    private const string DeniesOnTheSecret = """
        function (user, context, callback) {
          if (configuration.API_KEY.startsWith('s3cr3t')) return callback(new UnauthorizedError('the key is ' + configuration.API_KEY));
          callback(null, user, context);
        }
        """;

    private readonly TempFolder temp = new();
    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;
    private (string Id, string Secret) passwordClient;
    private (string Id, string Secret) cliClient;
    private long recorded;

    private string LogFile => Path.Combine(temp.Path, "rulesmfa.json");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync("--Server:LogFile", LogFile);
        await server.AddTenantAsync(Tenant);
        await server.AddUserAsync(Tenant, Email, Password);
        api = await AdminApiClient.CreateAsync(server, Tenant);
        Assert.That((await api.PutAsync("/configuration/API_KEY", new { value = Secret, secret = true })).Status, Is.EqualTo(204));
        Assert.That((await api.PutAsync("/rules/010-curious", new { source = ShowsTheSecret })).Status, Is.EqualTo(200));
        passwordClient = await MfaApiHttp.AddPasswordClientAsync(server, Tenant, "vault-cli");
        cliClient = CliServerData.CreateMachineClient(server, Tenant, "vault-backtester");
        using var login = new MfaApiHttp(server.Issuer(Tenant), passwordClient.Id, passwordClient.Secret);
        var (status, tokens) = await login.PasswordAsync(Email, Password);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), tokens?.ToJsonString());
        recorded = (await api.GetAsync("/decisions?limit=1")).Json[0]!["id"]!.GetValue<long>();
        var folder = Directory.CreateDirectory(Path.Combine(temp.Path, "draft")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "010-curious.js"), ShowsTheSecret);
        await File.WriteAllTextAsync(Path.Combine(folder, "020-denies.js"), DeniesOnTheSecret);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
        temp.Dispose();
    }

    [Test]
    public async Task Replay_RecordedLogin_RulesSeeThePlaceholder_AndTheAnswerHoldsNoSecret()
    {
        var run = await api.PostAsync("/console/evaluate", new
        {
            rules = new[] { new { id = "010-curious", source = ShowsTheSecret }, new { id = "020-denies", source = DeniesOnTheSecret } },
            replay = recorded,
        });

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(200), run.Text);
            AssertNoSecretIn(run.Json["decision"]!.ToJsonString() + run.Json["plan"]!.ToJsonString() + run.Json["input"]!.ToJsonString() + run.Json["resolved"]!.ToJsonString());
            // The recorded login as the decision log keeps it: each secret value hidden wherever it appears whole (a value the
            // real login's rule transformed, spelled backwards here, is the documented limit of that redaction).
            Assert.That(run.Json["recorded"]!.ToJsonString(), Does.Not.Contain(Secret).And.Not.Contain(Password).And.Not.Contain(passwordClient.Secret));
            Assert.That(run.Json["decision"]!["idTokenClaims"]!["https://example.com/key"]!.GetValue<string>(), Is.EqualTo(Host.Admin.TenantConfiguration.Placeholder("API_KEY")));
            Assert.That(run.Json["decision"]!["outcome"]!.GetValue<string>(), Is.EqualTo("allow"), "a branch on the secret tells nothing: the draft's deny did not fire");
            Assert.That(run.Text, Does.Contain($"\"https://example.com/key\":\"{SecretRedaction.Marker("API_KEY")}\""), "the recorded decision shows the secret's marker");
        });
    }

    [Test]
    public async Task Backtest_Api_DraftOnTheRecordedLogin_HoldsNoSecret()
    {
        var job = await api.BacktestAsync(new
        {
            rules = new[] { new { id = "010-curious", source = ShowsTheSecret }, new { id = "020-denies", source = DeniesOnTheSecret } },
        });

        Assert.Multiple(() =>
        {
            Assert.That(job["state"]!.GetValue<string>(), Is.EqualTo("done"), job.ToJsonString());
            AssertNoSecretIn(job.ToJsonString());
            Assert.That(job["result"]!["compared"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(job["result"]!["changed"]!.GetValue<int>(), Is.EqualTo(0), "neither the placeholder in the claim nor a branch on the secret counts as a change");
        });
    }

    [Test]
    public async Task Backtest_Cli_DraftOnTheRecordedLogin_PrintsNoSecret()
    {
        var text = CliRun.Of("backtest", "--rules", Path.Combine(temp.Path, "draft"), "--server", server.BaseUrl, "--tenant", Tenant,
            "--client-id", cliClient.Id, "--client-secret", cliClient.Secret);
        var json = CliRun.Of("backtest", "--rules", Path.Combine(temp.Path, "draft"), "--server", server.BaseUrl, "--tenant", Tenant,
            "--client-id", cliClient.Id, "--client-secret", cliClient.Secret, "--json");

        Assert.Multiple(() =>
        {
            Assert.That(text.ExitCode, Is.EqualTo(0), text.Error);
            Assert.That(text.Output, Does.StartWith("Compared 1 recorded logins: 0 decided differently"));
            AssertNoSecretIn(text.Output + text.Error);
            Assert.That(json.ExitCode, Is.EqualTo(0), json.Error);
            AssertNoSecretIn(json.Output + json.Error);
        });
    }

    [Test]
    public async Task ServerLog_AfterReplaysAndBacktests_HoldsNoSecret()
    {
        await api.PostAsync("/console/evaluate", new { rules = new[] { new { id = "020-denies", source = DeniesOnTheSecret } }, replay = recorded });
        await api.BacktestAsync(new { rules = new[] { new { id = "020-denies", source = DeniesOnTheSecret } } });

        await using var file = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var log = await new StreamReader(file).ReadToEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(log, Does.Contain("\"AuditEvent\":\"backtest.ended\""), "the log holds the runs");
            AssertNoSecretIn(log);
        });
    }

    private void AssertNoSecretIn(string text)
    {
        Assert.That(text, Does.Not.Contain(Secret), "the secret configuration value");
        Assert.That(text, Does.Not.Contain(string.Join(' ', Secret.Reverse())), "the secret spelled backwards");
        Assert.That(text, Does.Not.Contain(Password), "the user's password");
        Assert.That(text, Does.Not.Contain(passwordClient.Secret), "the password client's secret");
        Assert.That(text, Does.Not.Contain(cliClient.Secret), "the backtesting machine client's secret");
    }
}
