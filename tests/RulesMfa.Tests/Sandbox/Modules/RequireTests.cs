using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary><c>require</c> of the allowed npm packages, as Auth0 rules write it, and the refusal of anything else.</summary>
public sealed class RequireTests
{
    /// <summary>These tests are about what modules do, not speed: a module's first run in a process may be JIT-compiled.</summary>
    private static readonly RulePipelineSettings Generous = new() { Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) } };

    private static string ClaimOf(string expression) =>
        $$"""
        function (user, context, callback) {
          context.idToken['https://x/v'] = {{expression}};
          callback(null, user, context);
        }
        """;

    private static string Text(string expression) => System.Text.Json.JsonSerializer.Deserialize<string>(Claim(expression))!;

    private static string Claim(string expression)
    {
        var decision = Some.Decision(Some.Login(), Generous, ClaimOf(expression));
        Assert.That(decision.Error, Is.Null, () => $"the rule failed: {decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/v"]!.ToJsonString();
    }

    [TestCase("require('ipaddr.js').parse('10.1.2.3').match(require('ipaddr.js').parseCIDR('10.0.0.0/8'))", "true")]
    [TestCase("require('ipaddr.js').parse('2001:db8::1').kind()", "\"ipv6\"")]
    [TestCase("require('lodash').get({ a: { b: [1, 2] } }, 'a.b[1]')", "2")]
    [TestCase("require('lodash@4.17.19').intersection(['admin', 'x'], ['admin'])", "[\"admin\"]")]
    [TestCase("require('lodash/get')({ a: 1 }, 'a')", "1")]
    [TestCase("require('moment')('2026-11-25T10:30:00Z').utc().format('YYYY-MM-DD HH:mm')", "\"2026-11-25 10:30\"")]
    [TestCase("require('moment')().diff(require('moment')('2026-11-20T10:30:00Z'), 'days')", "5")]
    [TestCase("require('querystring').parse('a=1&b=two').b", "\"two\"")]
    [TestCase("require('url').parse('https://example.com/p?q=1', true).query.q", "\"1\"")]
    [TestCase("require('uuid').validate(require('uuid').v4())", "true")]
    [TestCase("uuid.v4().length", "36")]
    [TestCase("require('crypto').createHash('sha256').update('abc').digest('hex')", "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"")]
    [TestCase("require('crypto').createHmac('sha256', 'key').update('data').digest('hex')", "\"5031fe3d989c6d1537a013fa6e739da23463fdaec3b70137d828e36ace221bd0\"")]
    [TestCase("Buffer.from('aGVsbG8=', 'base64').toString('utf8')", "\"hello\"")]
    [TestCase("Buffer.from('hi there').toString('hex')", "\"6869207468657265\"")]
    [TestCase("require('crypto').randomBytes(16).length", "16")]
    [TestCase("process.version", "\"v18.20.4\"")]
    public void Require_AllowedModule_WorksAsInNode(string expression, string expected)
    {
        Assert.That(Claim(expression), Is.EqualTo(expected));
    }

    [TestCase("fs")]
    [TestCase("child_process")]
    [TestCase("../../etc/passwd")]
    [TestCase("./lodash")]
    [TestCase("lodash/../../x")]
    [TestCase("request")]
    public void Require_ModuleNotAllowed_ThrowsAnErrorTheRuleCanCatch(string name)
    {
        var claim = Text($"(() => {{ try {{ require('{name}'); return 'loaded'; }} catch (e) {{ return e.message; }} }})()");

        Assert.That(claim, Is.EqualTo($"module '{name}' is not available in rules"));
    }

    [Test]
    public void Require_ModuleNotAllowedAndUncaught_DeniesAsTheRulesOwnError()
    {
        var decision = Some.Decision(ClaimOf("require('fs').readFileSync('/etc/passwd', 'utf8')"));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error!.Code, Is.EqualTo(DecisionError.AccessDenied));
            Assert.That(decision.Error.Description, Is.EqualTo("module 'fs' is not available in rules"));
            Assert.That(decision.Rules[0].Status, Is.EqualTo(RuleStatus.Error));
        });
    }

    [TestCase("Buffer.alloc(1e9)")]
    [TestCase("new (Buffer.from('a').constructor)(1e9)")]
    [TestCase("new (Object.getPrototypeOf(Buffer))(1e9)")]
    [TestCase("new (Buffer.from('a').buffer.constructor)(1e9)")]
    [TestCase("require('crypto').randomBytes(1e9)")]
    [TestCase("Buffer.from('a'.repeat(1000000))")]
    public void BinaryData_LargerThanTheCap_IsRefusedBeforeItIsAllocated(string expression)
    {
        var claim = Text($"(() => {{ try {{ {expression}; return 'allocated'; }} catch (e) {{ return e.message; }} }})()");

        Assert.That(claim, Does.Contain("limited to 65536 bytes"));
    }
}
