using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Hostile input to the Node built-ins and <c>require</c>: every refusal is a JavaScript error the rule can catch
/// (never a .NET exception escaping as an internal error), and sizes are refused before anything large is built.
/// </summary>
[Category("Hostile")]
public sealed class NodeBuiltinAttackTests
{
    private static readonly RulePipelineSettings Settings = new()
    {
        Configuration = new Dictionary<string, string> { ["SECRET"] = "a-shared-secret-of-at-least-32-bytes!" },
        Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) },
    };

    [TestCase("require({ toString() { return 'fs'; } })", "TypeError")]
    [TestCase("require()", "TypeError")]
    [TestCase("require('lodash/../../../../etc/passwd')", "Error")]
    [TestCase("require('@scope')", "Error")]
    [TestCase("require('')", "Error")]
    [TestCase("require('crypto').createHash('sha256').update('x'.repeat(200000))", "TypeError")]
    [TestCase("require('crypto').createHash('whirlpool')", "Error")]
    [TestCase("require('crypto').createHmac('sha256', { length: 1e9 })", "TypeError")]
    [TestCase("require('crypto').randomBytes(-1)", "TypeError")]
    [TestCase("require('crypto').randomBytes(NaN)", "TypeError")]
    [TestCase("require('crypto').randomFillSync([1, 2, 3])", "TypeError")]
    [TestCase("require('crypto').timingSafeEqual(Buffer.from('a'), Buffer.from('ab'))", "TypeError")]
    [TestCase("(() => { const h = require('crypto').createHash('md5'); h.digest(); h.digest(); })()", "Error")]
    [TestCase("Buffer.from('abc', 'utf16le')", "TypeError")]
    [TestCase("Buffer.from({ length: 1e9 })", "TypeError")]
    [TestCase("Buffer.from('a'.repeat(70000))", "TypeError")]
    [TestCase("Buffer.concat([Buffer.alloc(40000), Buffer.alloc(40000)])", "RangeError")]
    [TestCase("Buffer.alloc(60000).join('x'.repeat(1000))", "RangeError")]
    [TestCase("jwt.verify('a.b.c'.repeat(100000), configuration.SECRET)", "JsonWebTokenError")]
    [TestCase("jwt.verify('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', configuration.SECRET)", "JsonWebTokenError")]
    [TestCase("jwt.verify(jwt.sign({ a: 1 }, configuration.SECRET), '-----BEGIN PUBLIC KEY-----\\ngarbage\\n-----END PUBLIC KEY-----', { algorithms: ['HS256', 'RS256'] })", "JsonWebTokenError")]
    [TestCase("jwt.sign({ a: 1 }, '-----BEGIN PRIVATE KEY-----\\nnot a key\\n-----END PRIVATE KEY-----', { algorithm: 'RS256' })", "JsonWebTokenError")]
    [TestCase("jwt.sign({ a: 1 }, configuration.SECRET, { expiresIn: 'x'.repeat(1000) })", "Error")]
    [TestCase("jwt.sign({ a: 1 }, configuration.SECRET, { algorithm: 'none' })", "Error")]
    [TestCase("jwt.sign('a string payload', configuration.SECRET)", "Error")]
    [TestCase("(() => { for (let i = 0; i < 1001; i++) { setTimeout(() => {}, 1); } })()", "Error")]
    [TestCase("setTimeout('callback(null, user, context)', 1)", "TypeError")]
    public void HostileInput_ToABuiltin_ThrowsAJavaScriptErrorTheRuleCatches(string expression, string errorName)
    {
        var decision = HostileAttack.Record(Some.Decision(Some.Login(), Settings,
            $$"""
            function (user, context, callback) {
              try { {{expression}}; context.idToken['https://x/caught'] = 'no error'; }
              catch (e) { context.idToken['https://x/caught'] = e.name; }
              callback(null, user, context);
            }
            """));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Status, Is.EqualTo(RuleStatus.Ok), () => string.Join("; ", decision.Logs.Select(log => log.Message)));
            Assert.That(decision.IdTokenClaims["https://x/caught"]?.GetValue<string>(), Is.EqualTo(errorName));
        });
    }
}
