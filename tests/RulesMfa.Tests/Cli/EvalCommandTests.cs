using System.Diagnostics;
using System.Text.Json.Nodes;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

public sealed class EvalCommandTests
{
    private TempFolder temp = null!;

    private string Folder => temp.Path;

    [SetUp]
    public void CreateFolder() => temp = new TempFolder();

    [TearDown]
    public void DeleteFolder() => temp.Dispose();

    private string Write(string name, string text) => temp.Write(name, text);

    private string Login() => Write("login.json", """{"user": {"user_id": "auth0|1", "app_metadata": {"roles": ["admin"]}}, "context": {"request": {"ip": "203.0.113.9"}}}""");

    [Test]
    public void Eval_Json_PrintsOneObjectWithEveryDecisionField()
    {
        var rule = Write("010-admins.js", "function mfaForAdmins(user, context, callback) { console.log('admin from ' + context.request.ip); context.multifactor = { provider: 'any', allowRememberBrowser: false }; callback(null, user, context); }");
        var action = Write("020-claims.js", "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://example.com/roles', event.user.app_metadata.roles); };");

        var run = CliRun.Of("eval", "--rules", action, rule, "--context", Login(), "--json", "--now", "2026-11-28T09:30:00Z");

        var json = JsonNode.Parse(run.Output)!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.Error, Is.Empty);
            Assert.That(json.Select(pair => pair.Key), Is.EqualTo(new[]
            {
                "outcome", "multifactor", "factors", "enroll", "allowRememberBrowser", "error", "idTokenClaims",
                "accessTokenClaims", "appMetadata", "userMetadata", "redirect", "logs", "rules",
            }));
            Assert.That(json["outcome"]!.GetValue<string>(), Is.EqualTo("mfa"));
            Assert.That(json["idTokenClaims"]!.ToJsonString(), Is.EqualTo("""{"https://example.com/roles":["admin"]}"""));
            Assert.That(json["logs"]!.ToJsonString(), Is.EqualTo("""[{"rule":"010-admins","level":"info","message":"admin from 203.0.113.9"}]"""));
            Assert.That(json["rules"]!.AsArray().Select(rule => rule!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "010-admins", "020-claims" }));
            Assert.That(json["rules"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("mfaForAdmins"));
        });
    }

    [Test]
    public void Eval_RuleWithSyntaxError_PrintsFileLineColumnAndExitsTwo()
    {
        var rule = Write("broken.js", "function (user, context, callback) {\n  if (user.email {\n  }\n}");

        var run = CliRun.Of("eval", "--rules", rule, "--context", Login());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error.Trim(), Is.EqualTo($"{rule}:2:18: Unexpected token '{{'"));
            Assert.That(run.Output, Is.Empty);
        });
    }

    [Test]
    public void Eval_DeniedLogin_ExitsZero()
    {
        var rule = Write("deny.js", "function (user, context, callback) { callback(new UnauthorizedError('blocked')); }");

        var run = CliRun.Of("eval", "--rules", rule, "--context", Login());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0));
            Assert.That(run.Output, Does.StartWith("outcome: deny").And.Contain("error: unauthorized: blocked"));
        });
    }

    [Test]
    public void Eval_Folder_RunsItsRulesInFileNameOrderWithConfiguration()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "rules"));
        File.WriteAllText(Path.Combine(Folder, "rules", "b.js"), "function (user, context, callback) { context.idToken['https://x/order'] += 'b'; callback(null, user, context); }");
        File.WriteAllText(Path.Combine(Folder, "rules", "a.js"), "function (user, context, callback) { context.idToken['https://x/order'] = configuration.PREFIX + 'a'; callback(null, user, context); }");
        var configuration = Write("configuration.json", """{"PREFIX": ">"}""");

        var run = CliRun.Of("eval", "--rules", Path.Combine(Folder, "rules"), "--context", Login(), "--configuration", configuration, "--json");

        Assert.That(JsonNode.Parse(run.Output)!["idTokenClaims"]!["https://x/order"]!.GetValue<string>(), Is.EqualTo(">ab"));
    }

    [TestCase("--now", "tomorrow", "--now 'tomorrow' is not an ISO-8601 date and time")]
    [TestCase("--configuration", "config", "configuration.A must be a string")]
    [TestCase("--context", "bad-json", "bad-json.json:1:")]
    [TestCase("--rule-timeout", "0", "--rule-timeout 0: give a number of milliseconds from 1 to 30,000")]
    [TestCase("--rule-timeout", "30001", "--rule-timeout 30001: give a number of milliseconds from 1 to 30,000")]
    public void Eval_BadInput_SaysWhatIsWrongAndExitsTwo(string option, string value, string expected)
    {
        var rule = Write("ok.js", "function (user, context, callback) { callback(null, user, context); }");
        var files = new Dictionary<string, string>
        {
            ["tomorrow"] = "tomorrow",
            ["config"] = Write("config.json", """{"A": 1}"""),
            ["bad-json"] = Write("bad-json.json", "{\"user\": "),
            ["0"] = "0",
            ["30001"] = "30001",
        };
        var args = new List<string> { "eval", "--rules", rule, "--context", Login() };
        if (option == "--context")
        {
            args[4] = files[value];
        }
        else
        {
            args.AddRange([option, files[value]]);
        }

        var run = CliRun.Of([.. args]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain(expected));
        });
    }

    [Test]
    public void Eval_RuleTimeout_IsTheLimitARuleIsStoppedAt()
    {
        // Slow in few statements (each sort of 50,000 strings checks the deadline at every comparison), so that a fast
        // machine does not reach the default 100,000 statements within 3 ms, as an empty loop can.
        var rule = Write("slow.js", "function slow(user, context, callback) { const names = Array(50000).fill('b'); while (true) { names.slice().sort(); } }");

        var run = CliRun.Of("eval", "--rules", rule, "--context", Login(), "--rule-timeout", "3", "--json");

        Assert.That(JsonNode.Parse(run.Output)!["error"]!["description"]!.GetValue<string>(),
            Is.EqualTo("Rule 'slow' ran longer than its time limit of 3 ms."));
    }

    [Test]
    public void Eval_MissingRequiredOption_IsAUsageErrorWithExitTwo()
    {
        var run = CliRun.Of("eval", "--context", Login());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("--rules").And.Contain("usage: rulesmfa eval"));
        });
    }

    [Test]
    public void Eval_MissingRulePath_NamesItAndExitsTwo()
    {
        var run = CliRun.Of("eval", "--rules", Path.Combine(Folder, "nope.js"), "--context", Login());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("nope.js' does not exist"));
        });
    }

    [Test]
    public void Executable_SyntaxError_ExitsTwoFromTheRealProcess()
    {
        var rule = Write("broken.js", "function (user, context, callback) { callback(null, user context); }");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "rulesmfa.dll"), "eval", "--rules", rule, "--context", Login() })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(2));
            Assert.That(error.Trim(), Does.StartWith($"{rule}:1:58: "));
        });
    }
}
