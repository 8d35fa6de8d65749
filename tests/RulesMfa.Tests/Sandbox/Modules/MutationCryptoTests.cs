using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// <c>require('crypto')</c> at its edges (issue 19, engine/Sandbox/NodeCompat): every digest against its published
/// value, the hash object's life, the size checks of the random functions, and <c>timingSafeEqual</c>, with Node's
/// error names and messages.
/// </summary>
public sealed class MutationCryptoTests
{
    private static readonly RulePipelineSettings Generous = new() { Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) } };

    private static string Claim(string body)
    {
        var decision = Some.Decision(Some.Login(), Generous,
            $$"""
            function (user, context, callback) {
              const crypto = require('crypto');
              context.idToken['https://x/v'] = (() => { try { {{body}} } catch (e) { return [e.name, e.message]; } })();
              callback(null, user, context);
            }
            """);
        Assert.That(decision.Error, Is.Null, () => $"the rule failed: {decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/v"]!.ToJsonString();
    }

    [TestCase("md5", "900150983cd24fb0d6963f7d28e17f72")]
    [TestCase("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d")]
    [TestCase("SHA256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [TestCase("sha384", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")]
    [TestCase("sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
    public void CreateHash_EveryAlgorithm_GivesItsPublishedDigest(string algorithm, string hex)
    {
        Assert.That(Claim($"return crypto.createHash('{algorithm}').update('a').update('bc').digest('hex');"), Is.EqualTo($"\"{hex}\""));
    }

    [Test]
    public void CreateHash_UnknownAlgorithm_IsRefusedNamingIt()
    {
        Assert.That(Claim("return crypto.createHash('sha3-256');"), Is.EqualTo("""["Error","Digest method not supported: sha3-256"]"""));
    }

    private const string KeyMust = "The \"key\" argument must be of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey. Received ";

    private const string DataMust = "The \"data\" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ";

    // Node 20's ERR_INVALID_ARG_TYPE: the argument's name, what it must be, and what it was (as Node describes it).
    [TestCase("crypto.createHmac('sha256', 5)", KeyMust + "type number (5)")]
    [TestCase("crypto.createHmac('sha256')", KeyMust + "undefined")]
    [TestCase("crypto.createHmac('sha256', null)", KeyMust + "null")]
    [TestCase("crypto.createHmac('sha256', true)", KeyMust + "type boolean (true)")]
    [TestCase("crypto.createHmac('sha256', -0)", KeyMust + "type number (-0)")]
    [TestCase("crypto.createHmac('sha256', Symbol('a-description-longer-than-that'))", KeyMust + "type symbol (Symbol(a-description-longer-than-that))")]
    [TestCase("crypto.createHmac('sha256', {})", KeyMust + "an instance of Object")]
    [TestCase("crypto.createHmac('sha256', [1])", KeyMust + "an instance of Array")]
    [TestCase("crypto.createHmac('sha256', function named() {})", KeyMust + "function named")]
    [TestCase("crypto.createHmac('sha256', Object.create(null))", KeyMust + "[Object: null prototype] {}")]
    [TestCase("crypto.createHash('sha256').update(5)", DataMust + "type number (5)")]
    [TestCase("crypto.createHmac('sha256', 'k').update({})", DataMust + "an instance of Object")]
    [TestCase("crypto.timingSafeEqual(5, Buffer.from('a'))", "The \"buf1\" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.")]
    [TestCase("crypto.timingSafeEqual(Buffer.from('a'), 'a')", "The \"buf2\" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.")]
    public void WrongTypeOfArgument_IsRefusedWithNodesInvalidArgTypeError(string call, string message)
    {
        var claim = Claim($"try {{ {call}; return 'accepted'; }} catch (e) {{ return [e.name, e.code, e.message]; }}");

        Assert.That(claim, Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(new[] { "TypeError", "ERR_INVALID_ARG_TYPE", message })));
    }

    [Test]
    public void Update_TakesTheDatasEncoding_AndDigestWithoutOneIsABuffer()
    {
        var claim = Claim(
            """
            const hex = crypto.createHash('sha256').update('616263', 'hex').digest('base64');
            const base64 = crypto.createHash('sha256').update('YWJj', 'base64').digest('hex');
            const buffer = crypto.createHash('sha256').update(Buffer.from('abc')).digest();
            return [hex, base64.slice(0, 8), Buffer.isBuffer(buffer), buffer.length, buffer[0], crypto.createHash('md5').update('abc', 42).digest('hex').slice(0, 8)];
            """);

        Assert.That(claim, Is.EqualTo("""["ungWv48Bz\u002BpBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=","ba7816bf",true,32,186,"90015098"]"""));
    }

    [Test]
    public void CryptoFunctions_HaveNodesNames()
    {
        var claim = Claim("const h = crypto.createHmac('sha256', 'key'); return [h.update.name, h.digest.name, crypto.createHash.name, crypto.randomUUID.name, crypto.timingSafeEqual.name];");

        Assert.That(claim, Is.EqualTo("""["update","digest","createHash","randomUUID","timingSafeEqual"]"""));
    }

    [TestCase("h.digest('hex'); return h.digest('hex');")]
    [TestCase("h.digest(); return h.update('more');")]
    public void HashAfterItsDigest_IsRefused(string body)
    {
        Assert.That(Claim($"const h = crypto.createHmac('sha256', 'key').update('data'); {body}"), Is.EqualTo("""["Error","Digest already called"]"""));
    }

    [TestCase("crypto.randomBytes(0).length", "0")]
    [TestCase("crypto.randomBytes(65536).length", "65536")]
    [TestCase("crypto.randomFillSync(new (Object.getPrototypeOf(Buffer))(8)).length", "8")]
    [TestCase("crypto.randomFillSync(Buffer.alloc(64)).some(b => b !== 0)", "true")]
    [TestCase("/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID())", "true")]
    [TestCase("crypto.getHashes()", "[\"md5\",\"sha1\",\"sha256\",\"sha384\",\"sha512\"]")]
    public void RandomAndListing_WorkAsInNode(string expression, string expected)
    {
        Assert.That(Claim($"return {expression};"), Is.EqualTo(expected));
    }

    [TestCase("crypto.randomBytes(65537)")]
    [TestCase("crypto.randomBytes(-1)")]
    [TestCase("crypto.randomBytes(1.5)")]
    [TestCase("crypto.randomBytes('x')")]
    public void RandomBytes_OfNoWholeSizeUpToTheCap_IsATypeError(string call)
    {
        Assert.That(Claim($"return {call};"),
            Is.EqualTo("""["TypeError","binary data is limited to 65536 bytes in rules; size must be a whole number from 0 to 65536"]"""));
    }

    [TestCase("[1, 2]")]
    [TestCase("{ length: 2 }")]
    [TestCase("'text'")]
    public void RandomFillSync_OfNoByteArray_IsATypeError(string target)
    {
        Assert.That(Claim($"return crypto.randomFillSync({target});"), Is.EqualTo("""["TypeError","randomFillSync needs a Buffer or Uint8Array"]"""));
    }

    [TestCase("Buffer.from('abc'), Buffer.from('abc')", "true")]
    [TestCase("Buffer.from('abc'), Buffer.from('abd')", "false")]
    [TestCase("Buffer.from('abc'), Buffer.from('abcd')", """["TypeError","Input buffers must have the same byte length"]""")]
    public void TimingSafeEqual_ComparesBuffersOfOneLength(string arguments, string expected)
    {
        Assert.That(Claim($"return crypto.timingSafeEqual({arguments});"), Is.EqualTo(expected));
    }
}
