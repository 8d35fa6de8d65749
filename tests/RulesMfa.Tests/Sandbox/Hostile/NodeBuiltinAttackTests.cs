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

    [TestCase("require({ toString() { return 'fs'; } })", "TypeError: require needs a module name as a string")]
    [TestCase("require()", "TypeError: require needs a module name as a string")]
    [TestCase("require('lodash/../../../../etc/passwd')", "Error: module 'lodash/../../../../etc/passwd' is not available in rules")]
    [TestCase("require('@scope')", "Error: module '@scope' is not available in rules")]
    [TestCase("require('')", "Error: module '' is not available in rules")]
    [TestCase("require('crypto').createHash('sha256').update('x'.repeat(200000))", "TypeError: binary data is limited to 65536 bytes in rules")]
    [TestCase("require('crypto').createHash('whirlpool')", "Error: Digest method not supported: whirlpool")]
    [TestCase("require('crypto').createHmac('sha256', { length: 1e9 })", "TypeError: The \"key\" argument must be of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey. Received an instance of Object")]
    [TestCase("require('crypto').randomBytes(-1)", "TypeError: binary data is limited to 65536 bytes in rules; size must be a whole number from 0 to 65536")]
    [TestCase("require('crypto').randomBytes(NaN)", "TypeError: binary data is limited to 65536 bytes in rules; size must be a whole number from 0 to 65536")]
    [TestCase("require('crypto').randomFillSync([1, 2, 3])", "TypeError: randomFillSync needs a Buffer or Uint8Array")]
    [TestCase("require('crypto').timingSafeEqual(Buffer.from('a'), Buffer.from('ab'))", "TypeError: Input buffers must have the same byte length")]
    [TestCase("(() => { const h = require('crypto').createHash('md5'); h.digest(); h.digest(); })()", "Error: Digest already called")]
    [TestCase("Buffer.from('abc', 'utf16le')", "TypeError: Unknown encoding: utf16le")]
    [TestCase("Buffer.from({ length: 1e9 })", "TypeError: The first argument must be of type string or an instance of Buffer")]
    [TestCase("Buffer.from('a'.repeat(70000))", "TypeError: binary data is limited to 65536 bytes in rules")]
    [TestCase("Buffer.concat([Buffer.alloc(40000), Buffer.alloc(40000)])", "RangeError: binary data is limited to 65536 bytes in rules, not 80000")]
    [TestCase("Buffer.alloc(60000).join('x'.repeat(1000))", "RangeError: binary data is limited to 65536 bytes in rules, not 60240000")]
    [TestCase("jwt.verify('a.b.c'.repeat(100000), configuration.SECRET)", "JsonWebTokenError: jwt malformed")]
    [TestCase("jwt.verify('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', configuration.SECRET)", "JsonWebTokenError: invalid algorithm")]
    [TestCase("jwt.verify(jwt.sign({ a: 1 }, configuration.SECRET), '-----BEGIN PUBLIC KEY-----\\ngarbage\\n-----END PUBLIC KEY-----', { algorithms: ['HS256', 'RS256'] })", "JsonWebTokenError: invalid signature")]
    [TestCase("jwt.sign({ a: 1 }, '-----BEGIN PRIVATE KEY-----\\nnot a key\\n-----END PRIVATE KEY-----', { algorithm: 'RS256' })", "JsonWebTokenError: the key is not a PEM-encoded RSA key")]
    [TestCase("jwt.sign({ a: 1 }, configuration.SECRET, { expiresIn: 'x'.repeat(1000) })", "Error: \"expiresIn\" should be a number of seconds or string representing a timespan eg: \"1d\", \"20h\", 60")]
    [TestCase("jwt.sign({ a: 1 }, configuration.SECRET, { algorithm: 'none' })", "Error: \"algorithm\" must be a valid string enum value")]
    [TestCase("jwt.sign('a string payload', configuration.SECRET)", "Error: payload must be a plain object in rules")]
    [TestCase("(() => { for (let i = 0; i < 1001; i++) { setTimeout(() => {}, 1); } })()", "Error: a rule may have at most 1000 timers waiting")]
    [TestCase("setTimeout('callback(null, user, context)', 1)", "TypeError: The \"callback\" argument must be of type function")]
    public void HostileInput_ToABuiltin_ThrowsAJavaScriptErrorTheRuleCatches(string expression, string error)
    {
        var decision = HostileAttack.Record(Some.Decision(Some.Login(), Settings,
            $$"""
            function (user, context, callback) {
              try { {{expression}}; context.idToken['https://x/caught'] = 'no error'; }
              catch (e) { context.idToken['https://x/caught'] = e.name + ': ' + e.message; }
              callback(null, user, context);
            }
            """));

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Status, Is.EqualTo(RuleStatus.Ok), () => string.Join("; ", decision.Logs.Select(log => log.Message)));
            Assert.That(decision.IdTokenClaims["https://x/caught"]?.GetValue<string>(), Does.StartWith(error), "the error's name and what the protection says");
        });
    }
}
