using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>The rules API against the real host: saves with validation, versions, diff, rollback, stored tests and their audit.</summary>
[NonParallelizable]
public sealed class RulesApiTests
{
    private const string Tenant = "acme";
    private const string AllowAll = "function (user, context, callback) {\n  callback(null, user, context);\n}\n";
    private const string MfaForAdmins =
        "function (user, context, callback) {\n  if ((user.app_metadata.roles || []).includes('admin')) {\n    context.multifactor = { provider: 'any' };\n  }\n  callback(null, user, context);\n}\n";

    private static readonly JsonObject AdminNeedsMfa = new()
    {
        ["cases"] = new JsonArray(
            new JsonObject { ["name"] = "admin", ["user"] = new JsonObject { ["app_metadata"] = new JsonObject { ["roles"] = new JsonArray("admin") } }, ["expect"] = new JsonObject { ["outcome"] = "mfa" } },
            new JsonObject { ["name"] = "member", ["user"] = new JsonObject { ["app_metadata"] = new JsonObject() }, ["expect"] = new JsonObject { ["outcome"] = "allow" } }),
    };

    private RulesMfaServer server = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => (server, api) = await AdminApiServer.WithTenantAsync(RulesMfaServer.StartAsync(), Tenant);

    [OneTimeTearDown]
    public Task StopAsync() => AdminApiServer.StopAsync(server, api);

    [Test]
    public async Task Save_NewRule_IsVersionOneAndListed()
    {
        var saved = await api.PutAsync("/rules/010-allow", new { source = AllowAll });
        var list = await api.GetAsync("/rules");

        Assert.Multiple(() =>
        {
            Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
            Assert.That(saved.Json["rule"]!["version"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(saved.Json["rule"]!["versionHash"]!.GetValue<string>(), Does.StartWith("sha256:"));
            Assert.That(list.Json.AsArray().Select(rule => rule!["id"]!.GetValue<string>()), Does.Contain("010-allow"));
        });
    }

    /// <summary>
    /// <c>from</c> and <c>to</c> missing or not version numbers were a bare 400 answered by the HTML error page,
    /// naming nothing; each is now a problem naming the parameter.
    /// </summary>
    [TestCase("", "from")]
    [TestCase("?from=1", "to")]
    [TestCase("?from=a&to=1", "from")]
    [TestCase("?from=1&to=99999999999", "to")]
    [TestCase("?from=0&to=1", "from")]
    public async Task Diff_WithoutTwoVersionNumbers_Is400NamingTheParameter(string query, string field)
    {
        await api.PutAsync("/rules/025-diff", new { source = AllowAll });

        var refused = await api.GetAsync($"/rules/025-diff/diff{query}");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("must be a version number of the rule (a whole number from 1)"));
        });
    }

    /// <summary>A rollback without a version (or with 0 or less) answered 404 "No such version", naming no field.</summary>
    [TestCase("{}")]
    [TestCase("""{"force": true}""")]
    [TestCase("""{"version": 0}""")]
    [TestCase("""{"version": -1}""")]
    public async Task Rollback_WithoutAVersionNumber_Is400NamingVersion_AndNothingIsSaved(string body)
    {
        await api.PutAsync("/rules/026-rollback", new { source = AllowAll });

        var refused = await api.SendRawAsync(HttpMethod.Post, "/rules/026-rollback/rollback", body);
        var versions = await api.GetAsync("/rules/026-rollback/versions");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("version"));
            Assert.That(refused.Json["errors"]![0]!["message"]!.GetValue<string>(), Is.EqualTo("the version to roll back to is required (a whole number from 1)"));
            Assert.That(versions.Json.AsArray(), Has.Count.EqualTo(1), "no version added");
        });
    }

    [Test]
    public async Task Save_SyntaxError_Is400WithLineAndColumn_AndNothingIsSaved()
    {
        await api.PutAsync("/rules/020-syntax", new { source = AllowAll });

        var refused = await api.PutAsync("/rules/020-syntax", new { source = "function (user, context, callback) {\n  if (user.email {\n  callback(null, user, context);\n}\n" });
        var after = await api.GetAsync("/rules/020-syntax");

        var error = refused.Json["errors"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["title"]!.GetValue<string>(), Is.EqualTo("The request is invalid."));
            Assert.That(error["field"]!.GetValue<string>(), Is.EqualTo("source"));
            Assert.That(error["line"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(error["column"]!.GetValue<int>(), Is.EqualTo(18));
            Assert.That(after.Json["version"]!.GetValue<int>(), Is.EqualTo(1), "the refused save left the rule as it was");
            Assert.That(after.Json["source"]!.GetValue<string>(), Is.EqualTo(AllowAll));
        });
    }

    [TestCase("/rules/bad%20id", "{\"source\": \"function (u, c, cb) { cb(null, u, c); }\"}", "id")]
    [TestCase("/rules/ok-id", "{\"source\": 42}", "source")]
    [TestCase("/rules/ok-id", "{\"source\": \"function (u, c, cb) { cb(null, u, c); }\", \"tests\": {\"cases\": 3}}", "tests")]
    [TestCase("/rules/ok-id", "{\"source\": \"function (u, c, cb) { cb(null, u, c); }\",", "body")]
    [TestCase("/rules/ok-id", "{}", "source")]
    public async Task Save_BadInput_Is400NamingTheField(string path, string body, string field)
    {
        var refused = await api.SendRawAsync(HttpMethod.Put, path, body);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Does.StartWith(field), refused.Text);
            Assert.That(refused.Text, Does.Not.Contain("   at "), "no stack trace");
        });
        Assert.That((await api.GetAsync("/rules/ok-id")).Status, Is.EqualTo(404), "nothing was half-saved");
    }

    [Test]
    public async Task Versions_DiffAndRollback_RestoreAnOldSourceAsANewVersion()
    {
        await api.PutAsync("/rules/030-versions", new { source = AllowAll });
        await api.PutAsync("/rules/030-versions", new { source = MfaForAdmins });

        var versions = await api.GetAsync("/rules/030-versions/versions");
        var diff = await api.GetAsync("/rules/030-versions/diff?from=1&to=2");
        var rollback = await api.PostAsync("/rules/030-versions/rollback", new { version = 1 });
        var current = await api.GetAsync("/rules/030-versions");
        var audit = await api.GetAsync("/audit?limit=5");

        Assert.Multiple(() =>
        {
            Assert.That(versions.Json.AsArray().Select(version => version!["version"]!.GetValue<int>()), Is.EqualTo(new[] { 2, 1 }));
            Assert.That(diff.Json["diff"]!.GetValue<string>(), Does.Contain("+  if ((user.app_metadata.roles || []).includes('admin')) {"));
            Assert.That(diff.Json["diff"]!.GetValue<string>(), Does.Contain("--- 030-versions.js@1"));
            Assert.That(rollback.Status, Is.EqualTo(200), rollback.Text);
            Assert.That(current.Json["version"]!.GetValue<int>(), Is.EqualTo(3));
            Assert.That(current.Json["source"]!.GetValue<string>(), Is.EqualTo(AllowAll));
            Assert.That(audit.Json.AsArray().Select(entry => entry!["action"]!.GetValue<string>()), Does.Contain("rule.rolled-back"));
        });
    }

    [Test]
    public async Task Save_WithFailingTests_IsRefusedUnlessForced_AndForcingIsAudited()
    {
        await api.PutAsync("/rules/040-tested", new { source = MfaForAdmins, tests = AdminNeedsMfa });

        var refused = await api.PutAsync("/rules/040-tested", new { source = AllowAll });
        var unchanged = await api.GetAsync("/rules/040-tested");
        var forced = await api.PutAsync("/rules/040-tested", new { source = AllowAll, force = true });
        var audit = await api.GetAsync("/audit?limit=10");

        var forcedEntry = audit.Json.AsArray().FirstOrDefault(entry => entry!["action"]!.GetValue<string>() == "rule.forced" && entry["target"]!.GetValue<string>() == "040-tested");
        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(422), refused.Text);
            Assert.That(refused.Json["tests"]!["failed"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(refused.Json["tests"]!["results"]![0]!["differences"]![0]!.GetValue<string>(), Does.Contain("outcome"));
            Assert.That(unchanged.Json["version"]!.GetValue<int>(), Is.EqualTo(1), "the refused save changed nothing");
            Assert.That(forced.Status, Is.EqualTo(200), forced.Text);
            Assert.That(forced.Json["rule"]!["version"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(forcedEntry, Is.Not.Null, audit.Text);
            Assert.That(forcedEntry!["actor"]!.GetValue<string>(), Is.EqualTo($"client:{api.ClientId}"));
            Assert.That(forcedEntry["oldHash"]!.GetValue<string>(), Is.EqualTo(unchanged.Json["versionHash"]!.GetValue<string>()));
            Assert.That(forcedEntry["newHash"]!.GetValue<string>(), Is.EqualTo(forced.Json["rule"]!["versionHash"]!.GetValue<string>()));
        });
    }

    [Test]
    public async Task Disable_AndDelete_ChangeWhatLoginsRun()
    {
        await api.PutAsync("/rules/050-state", new { source = AllowAll });

        var disabled = await api.PatchAsync("/rules/050-state", new { enabled = false, order = 500 });
        var deployed = await server.WithServicesAsync(services => services.GetRequiredService<Host.Tenants.TenantRules>().DeployedAsync(Tenant, CancellationToken.None));
        var deleted = await api.DeleteAsync("/rules/050-state");
        var gone = await api.GetAsync("/rules/050-state");

        Assert.Multiple(() =>
        {
            Assert.That(disabled.Json["enabled"]!.GetValue<bool>(), Is.False);
            Assert.That(disabled.Json["order"]!.GetValue<int>(), Is.EqualTo(500));
            Assert.That(deployed.Select(rule => rule.Id), Does.Not.Contain("050-state"));
            Assert.That(deleted.Status, Is.EqualTo(204));
            Assert.That(gone.Status, Is.EqualTo(404));
        });
    }

    [Test]
    public async Task Save_AfterDelete_ContinuesTheVersionNumbers()
    {
        await api.PutAsync("/rules/060-again", new { source = AllowAll });
        await api.DeleteAsync("/rules/060-again");

        var again = await api.PutAsync("/rules/060-again", new { source = MfaForAdmins });
        var versions = await api.GetAsync("/rules/060-again/versions");

        Assert.Multiple(() =>
        {
            Assert.That(again.Status, Is.EqualTo(200), again.Text);
            Assert.That(again.Json["rule"]!["version"]!.GetValue<int>(), Is.EqualTo(2));
            Assert.That(versions.Json.AsArray().Select(version => version!["version"]!.GetValue<int>()), Is.EqualTo(new[] { 2, 1 }));
        });
    }

    [Test]
    public async Task Configuration_SecretIsWriteOnlyAndEncryptedAtRest_PlainValuesReachTheRules()
    {
        var setSecret = await api.PutAsync("/configuration/API_KEY", new { value = "s3cr3t-value-123", secret = true });
        await api.PutAsync("/configuration/REGION", new { value = "eu", secret = false });

        var read = await api.GetAsync("/configuration");
        var stored = await server.WithServicesAsync(services =>
            services.GetRequiredService<RulesMfaDbContext>().Tenants.AsNoTracking().SingleAsync(tenant => tenant.Id == Tenant));
        var evaluated = await api.PostAsync("/console/evaluate", new
        {
            rules = new[] { new { id = "uses-region", source = "function (user, context, callback) { context.idToken['https://x/r'] = configuration.REGION; callback(null, user, context); }" } },
            input = new { user = new { }, context = new { } },
        });

        var entries = read.Json.AsArray();
        var secret = entries.Single(entry => entry!["name"]!.GetValue<string>() == "API_KEY")!;
        var region = entries.Single(entry => entry!["name"]!.GetValue<string>() == "REGION")!;
        Assert.Multiple(() =>
        {
            Assert.That(setSecret.Status, Is.EqualTo(204), setSecret.Text);
            Assert.That(secret["secret"]!.GetValue<bool>(), Is.True);
            Assert.That(secret["value"], Is.Null, "a secret is never read back");
            Assert.That(read.Text, Does.Not.Contain("s3cr3t-value-123"));
            Assert.That(region["value"]!.GetValue<string>(), Is.EqualTo("eu"));
            Assert.That(stored.ConfigurationJson, Does.Not.Contain("s3cr3t").And.Not.Contain("REGION"), "encrypted at rest");
            Assert.That(evaluated.Json["decision"]!["idTokenClaims"]!["https://x/r"]!.GetValue<string>(), Is.EqualTo("eu"));
        });
    }

    [TestCase("1-starts-with-a-digit", "{\"value\": \"x\"}", "name")]
    [TestCase("OK_NAME", "{\"secret\": true}", "value")]
    [TestCase("OK_NAME", "{\"value\": 7}", "value")]
    public async Task Configuration_BadInput_Is400NamingTheField_AndNothingIsSaved(string name, string body, string field)
    {
        var refused = await api.SendRawAsync(HttpMethod.Put, $"/configuration/{name}", body);
        var entries = await api.GetAsync("/configuration");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo(field), refused.Text);
            Assert.That(entries.Json.AsArray().Select(entry => entry!["name"]!.GetValue<string>()), Does.Not.Contain(name));
        });
    }

    [Test]
    public async Task Settings_OutOfRange_Is400NamingTheField_AndNothingIsSaved()
    {
        var before = await api.GetAsync("/settings");
        var changed = before.Json.DeepClone().AsObject();
        changed["alwaysRequireMfa"] = true;
        changed["limits"]!["maxStatements"] = 10;

        var refused = await api.PutAsync("/settings", changed);
        var after = await api.GetAsync("/settings");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("limits.maxStatements"));
            Assert.That(after.Json["alwaysRequireMfa"]!.GetValue<bool>(), Is.False, "nothing was saved");
        });
    }

    [Test]
    public async Task Settings_Valid_AreSavedAndAudited()
    {
        var settings = (await api.GetAsync("/settings")).Json.DeepClone().AsObject();
        settings["failMode"] = "requireMfa";
        settings["rememberBrowserDays"] = 14;

        var saved = await api.PutAsync("/settings", settings);
        var after = await api.GetAsync("/settings");
        var audit = await api.GetAsync("/audit?limit=3");

        Assert.Multiple(() =>
        {
            Assert.That(saved.Status, Is.EqualTo(200), saved.Text);
            Assert.That(after.Json["failMode"]!.GetValue<string>(), Is.EqualTo("requireMfa"));
            Assert.That(after.Json["rememberBrowserDays"]!.GetValue<int>(), Is.EqualTo(14));
            Assert.That(audit.Json.AsArray().Select(entry => entry!["action"]!.GetValue<string>()), Does.Contain("settings.changed"));
        });
    }

    [Test]
    public async Task OpenApiDocument_DescribesTheRulesApi()
    {
        using var http = new HttpClient();

        var document = JsonNode.Parse(await http.GetStringAsync($"{server.Issuer(Tenant)}/openapi/v1.json"))!;

        Assert.That(document["paths"]!.AsObject().Select(path => path.Key), Does.Contain("/api/v1/rules/{id}").And.Contain("/api/v1/console/evaluate"));
    }
}
