using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.SandboxConsole;

/// <summary>
/// Console drafts and deploys through the admin API of the real host: edits stay in the admin's draft; a deploy is its own,
/// confirmed step that shows the diff and the test results, and saves every change or none.
/// </summary>
[NonParallelizable]
public sealed class ConsoleDraftsTests
{
    private const string Tenant = "drafts";
    private const string Allow = "function (user, context, callback) {\n  callback(null, user, context);\n}\n";
    private const string Mfa = "function (user, context, callback) {\n  context.multifactor = { provider: 'any' };\n  callback(null, user, context);\n}\n";

    private static readonly JsonObject ExpectsAllow = Cases("allow");
    private static readonly JsonObject ExpectsMfa = Cases("mfa");

    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;

    [SetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        api = await AdminApiClient.CreateAsync(server, Tenant);
        Assert.That((await api.PutAsync("/rules/a", new { source = Allow, tests = ExpectsAllow })).Status, Is.EqualTo(200));
        Assert.That((await api.PutAsync("/rules/b", new { source = Allow, tests = ExpectsAllow })).Status, Is.EqualTo(200));
        Assert.That((await api.PutAsync("/rules/c", new { source = Allow })).Status, Is.EqualTo(200));
    }

    [TearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Draft_EditedThenPreviewedThenDeployed_ChangesTheRulesOnlyAtTheConfirmedDeploy()
    {
        var start = await api.GetAsync("/console/draft");
        var rules = start.Json["rules"]!.AsArray();
        rules[0]!["source"] = Mfa;
        rules[0]!["tests"] = ExpectsMfa.DeepClone();

        var saved = await api.PutAsync("/console/draft", new { rules });
        var deployedWhileDrafting = await api.GetAsync("/rules/a");
        var preview = await api.PostAsync("/console/draft/preview");
        var unconfirmed = await api.PostAsync("/console/draft/deploy", new { confirm = false });
        var deployed = await api.PostAsync("/console/draft/deploy", new { confirm = true });
        var after = await api.GetAsync("/rules/a");
        var draftAfter = await api.GetAsync("/console/draft");

        var change = preview.Json["changes"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(start.Json["saved"]!.GetValue<bool>(), Is.False, "no draft yet: the deployed set");
            Assert.That(rules.Select(rule => rule!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "a", "b", "c" }));
            Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
            Assert.That(deployedWhileDrafting.Json["source"]!.GetValue<string>(), Is.EqualTo(Allow), "a draft changes nothing deployed");
            Assert.That(change["id"]!.GetValue<string>(), Is.EqualTo("a"));
            Assert.That(change["changes"]!.AsArray().Select(item => item!.GetValue<string>()), Is.EqualTo(new[] { "source", "tests" }));
            Assert.That(change["diff"]!.GetValue<string>(), Does.Contain("+  context.multifactor = { provider: 'any' };"));
            Assert.That(change["tests"]!["cases"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(change["tests"]!["failed"]!.GetValue<int>(), Is.EqualTo(0));
            Assert.That(preview.Json["unchanged"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(unconfirmed.Status, Is.EqualTo(400));
            Assert.That(unconfirmed.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("confirm"));
            Assert.That(deployed.Status, Is.EqualTo(200), deployed.Text);
            Assert.That(after.Json["source"]!.GetValue<string>(), Is.EqualTo(Mfa));
            Assert.That(after.Json["version"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(draftAfter.Json["saved"]!.GetValue<bool>(), Is.False, "a deployed draft is gone");
        });
    }

    [Test]
    public async Task Deploy_OneRuleOfTwoFailsItsTests_NothingIsDeployed()
    {
        var rules = (await api.GetAsync("/console/draft")).Json["rules"]!.AsArray();
        rules[0]!["source"] = Allow + "// a comment\n";
        rules[1]!["source"] = Mfa; // its stored case still expects allow
        await api.PutAsync("/console/draft", new { rules });

        var preview = await api.PostAsync("/console/draft/preview");
        var refused = await api.PostAsync("/console/draft/deploy", new { confirm = true });
        var a = await api.GetAsync("/rules/a");
        var b = await api.GetAsync("/rules/b");
        var forced = await api.PostAsync("/console/draft/deploy", new { confirm = true, force = true });
        var audit = await AuditActionsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(preview.Json["testsPass"]!.GetValue<bool>(), Is.False);
            Assert.That(refused.Status, Is.EqualTo(422), refused.Text);
            Assert.That(refused.Json["detail"]!.GetValue<string>(), Does.Contain("b: 1 of 1 test cases failed"));
            Assert.That(refused.Json["rules"]!["b"]!["tests"]!["results"]![0]!["differences"]![0]!.GetValue<string>(), Does.Contain("outcome"));
            Assert.That(a.Json["version"]!.GetValue<int>(), Is.EqualTo(1), "rule a passed its tests and was saved first, but the deploy is one transaction");
            Assert.That(a.Json["source"]!.GetValue<string>(), Is.EqualTo(Allow));
            Assert.That(b.Json["source"]!.GetValue<string>(), Is.EqualTo(Allow));
            Assert.That(forced.Status, Is.EqualTo(200), forced.Text);
            Assert.That(audit, Does.Contain("rule.forced").And.Contain("draft.deployed"));
        });
    }

    [Test]
    public async Task Draft_DeleteDisableAndReorder_PreviewNamesThemAndDeployAppliesThem()
    {
        var rules = (await api.GetAsync("/console/draft")).Json["rules"]!.AsArray();
        var (a, b) = (rules[0]!.DeepClone(), rules[1]!.DeepClone());
        b["enabled"] = false;
        var draft = new JsonArray(b, a, new JsonObject { ["id"] = "d-new", ["source"] = Mfa });
        await api.PutAsync("/console/draft", new { rules = draft });

        var preview = await api.PostAsync("/console/draft/preview");
        var deployed = await api.PostAsync("/console/draft/deploy", new { confirm = true });
        var list = await api.GetAsync("/rules");

        var changes = preview.Json["changes"]!.AsArray().ToDictionary(change => change!["id"]!.GetValue<string>(),
            change => string.Join(",", change!["changes"]!.AsArray().Select(item => item!.GetValue<string>())));
        Assert.Multiple(() =>
        {
            Assert.That(changes, Is.EqualTo(new Dictionary<string, string> { ["b"] = "disabled,moved", ["a"] = "moved", ["d-new"] = "added", ["c"] = "deleted" }));
            Assert.That(deployed.Status, Is.EqualTo(200), deployed.Text);
            Assert.That(list.Json.AsArray().Select(rule => $"{rule!["id"]}:{rule["enabled"]}"), Is.EqualTo(new[] { "b:false", "a:true", "d-new:true" }));
        });
    }

    [Test]
    public async Task Drafts_ArePerAdmin_AndValidatedBeforeTheyAreKept()
    {
        using var other = await AdminApiClient.CreateAsync(server, Tenant);
        var mine = (await api.GetAsync("/console/draft")).Json["rules"]!.AsArray();
        mine[0]!["source"] = Mfa;
        await api.PutAsync("/console/draft", new { rules = mine });

        var theirs = await other.GetAsync("/console/draft");
        var badId = await api.PutAsync("/console/draft", new { rules = new[] { new { id = "../x", source = Allow } } });
        var twice = await api.PutAsync("/console/draft", new { rules = new[] { new { id = "x", source = Allow }, new { id = "x", source = Allow } } });
        var tooMany = await api.PutAsync("/console/draft", new { rules = Enumerable.Range(0, 101).Select(index => new { id = $"r{index}", source = Allow }) });
        var stillMine = await api.GetAsync("/console/draft");
        var discarded = await api.DeleteAsync("/console/draft");
        var afterDiscard = await api.GetAsync("/console/draft");

        Assert.Multiple(() =>
        {
            Assert.That(theirs.Json["saved"]!.GetValue<bool>(), Is.False, "another admin does not see my draft");
            Assert.That(theirs.Json["rules"]![0]!["source"]!.GetValue<string>(), Is.EqualTo(Allow));
            Assert.That(badId.Status, Is.EqualTo(400));
            Assert.That(badId.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("rules[0].id"));
            Assert.That(twice.Json["errors"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("'x' names two rules of the draft"));
            Assert.That(tooMany.Json["errors"]![0]!["message"]!.GetValue<string>(), Does.Contain("at most 100 rules"));
            Assert.That(stillMine.Json["rules"]![0]!["source"]!.GetValue<string>(), Is.EqualTo(Mfa), "a refused draft leaves the saved one");
            Assert.That(discarded.Status, Is.EqualTo(204));
            Assert.That(afterDiscard.Json["saved"]!.GetValue<bool>(), Is.False);
        });
    }

    private Task<List<string>> AuditActionsAsync() => server.WithServicesAsync(services =>
        services.GetRequiredService<RulesMfaDbContext>().Audit.AsNoTracking().Where(record => record.TenantId == Tenant).Select(record => record.Action).ToListAsync());

    private static JsonObject Cases(string outcome) => new()
    {
        ["cases"] = new JsonArray(new JsonObject { ["name"] = $"expects {outcome}", ["user"] = new JsonObject(), ["context"] = new JsonObject(), ["expect"] = new JsonObject { ["outcome"] = outcome } }),
    };
}
