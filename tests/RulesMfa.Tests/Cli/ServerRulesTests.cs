using System.Text.Json.Nodes;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary><c>eval</c> and <c>test</c> with <c>--server --tenant</c> take the tenant's deployed rules (enabled, in order) instead of local files.</summary>
[NonParallelizable]
public sealed class ServerRulesTests
{
    private RulesMfaServer server = null!;
    private (string Id, string Secret) client;

    private static string Login => Path.Combine(RepositoryPaths.Samples, "logins", "admin-outside-office.json");

    private static string Configuration => Path.Combine(RepositoryPaths.Samples, "logins", "configuration.json");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        client = CliServerData.CreateMachineClient(server, DemoTenantSeeder.TenantId, "reader");
        var deploy = CliRun.Of("deploy", RepositoryPaths.Samples, "--server", server.BaseUrl, "--tenant", "demo", "--client-id", client.Id, "--client-secret", client.Secret);
        Assert.That(deploy.ExitCode, Is.EqualTo(0), deploy.Output + deploy.Error);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await server.DisposeAsync();

    private string[] FromServer => ["--server", server.BaseUrl, "--tenant", "demo", "--client-id", client.Id, "--client-secret", client.Secret];

    [Test]
    public void EvalServer_DeployedSamples_SameDecisionAsEvalOfTheLocalFiles()
    {
        string[] login = ["--context", Login, "--configuration", Configuration, "--now", "2026-11-28T09:30:00Z", "--json"];

        var local = CliRun.Of(["eval", "--rules", RepositoryPaths.Samples, .. login]);
        var deployed = CliRun.Of(["eval", .. FromServer, .. login]);

        Assert.Multiple(() =>
        {
            Assert.That(deployed.ExitCode, Is.EqualTo(0), deployed.Error);
            Assert.That(JsonNode.Parse(deployed.Output)!["outcome"]!.GetValue<string>(), Is.EqualTo("mfa"));
            Assert.That(WithoutDurations(deployed.Output), Is.EqualTo(WithoutDurations(local.Output)));
        });
    }

    [Test]
    public void EvalServer_DisabledRule_IsNotRun()
    {
        Assert.That(CliRun.Of("rule", "disable", "--tenant", "demo", "--rule", "130-role-claims", "--data-folder", server.DataFolder).ExitCode, Is.EqualTo(0));
        try
        {
            var deployed = CliRun.Of(["eval", .. FromServer, "--context", Login, "--configuration", Configuration, "--json"]);

            var ran = JsonNode.Parse(deployed.Output)!["rules"]!.AsArray().Select(rule => rule!["id"]!.GetValue<string>()).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(ran, Does.Not.Contain("130-role-claims"));
                Assert.That(ran, Has.Count.EqualTo(12));
            });
        }
        finally
        {
            CliRun.Of("rule", "enable", "--tenant", "demo", "--rule", "130-role-claims", "--data-folder", server.DataFolder);
        }
    }

    [Test]
    public void EvalServer_RulesAndServerTogetherOrNoCredentials_IsAUsageError()
    {
        var both = CliRun.Of(["eval", "--rules", RepositoryPaths.Samples, .. FromServer, "--context", Login]);
        var neither = CliRun.Of("eval", "--context", Login);
        var noCredentials = CliRun.Of("eval", "--server", server.BaseUrl, "--tenant", "demo", "--context", Login);

        Assert.Multiple(() =>
        {
            Assert.That(both.ExitCode, Is.EqualTo(2));
            Assert.That(both.Error, Does.Contain("--rules PATH..., or take a tenant's deployed rules with --server URL --tenant T (not both)"));
            Assert.That(neither.ExitCode, Is.EqualTo(2));
            Assert.That(noCredentials.ExitCode, Is.EqualTo(2));
            Assert.That(noCredentials.Error, Does.Contain("RULESMFA_CLIENT_ID"));
        });
    }

    [Test]
    public void TestServer_SamplesTestFilesAgainstTheDeployedSamples_AllPassLikeTheLocalRun()
    {
        var local = CliRun.Of("test", RepositoryPaths.Samples);

        var deployed = CliRun.Of(["test", RepositoryPaths.Samples, .. FromServer]);

        var summary = deployed.Output.TrimEnd().Split('\n').Last();
        Assert.Multiple(() =>
        {
            Assert.That(deployed.ExitCode, Is.EqualTo(0), deployed.Output + deployed.Error);
            Assert.That(summary, Is.EqualTo(local.Output.TrimEnd().Split('\n').Last()));
            Assert.That(summary, Does.EndWith(" 0 failed"));
        });
    }

    [Test]
    public void TestServer_TestOfARuleThatIsNotDeployed_NamesItAndExitsTwo()
    {
        using var temp = new TempFolder();
        temp.Write("999-draft.test.json", """{"cases": []}""");

        var run = CliRun.Of(["test", temp.Path, .. FromServer]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("rule '999-draft' is not deployed (or not enabled) on tenant 'demo'"));
        });
    }

    private static string WithoutDurations(string json)
    {
        var decision = JsonNode.Parse(json)!;
        foreach (var rule in decision["rules"]!.AsArray())
        {
            rule!.AsObject().Remove("durationMs");
        }

        return decision.ToJsonString();
    }
}
