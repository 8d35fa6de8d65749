using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// <c>Buffer</c> in a rule at its edges (issue 19, engine/Sandbox/NodeCompat: <c>NodeBinary</c> and <c>BinaryPrelude</c>):
/// every encoding both ways as Node 18 gives it (the expected values are Node's own output), Node's lenient hex and
/// base64 decoding, the helpers, and the binary cap at its boundary for each way text becomes bytes.
/// </summary>
public sealed class MutationBufferTests
{
    private static readonly RulePipelineSettings Generous = new() { Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) } };

    private static string Claim(string body)
    {
        var decision = Some.Decision(Some.Login(), Generous,
            $$"""
            function (user, context, callback) {
              context.idToken['https://x/v'] = (() => { try { {{body}} } catch (e) { return [e.name, e.message]; } })();
              callback(null, user, context);
            }
            """);
        Assert.That(decision.Error, Is.Null, () => $"the rule failed: {decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/v"]!.ToJsonString();
    }

    [TestCase("utf8", "[97,195,169,226,130,172]")]
    [TestCase("UTF-8", "[97,195,169,226,130,172]")]
    [TestCase("latin1", "[97,233,172]")]
    [TestCase("binary", "[97,233,172]")]
    [TestCase("ascii", "[97,233,172]")]
    public void From_TextInEachEncoding_IsNodesBytes(string encoding, string bytes)
    {
        Assert.That(Claim($"return Array.from(Buffer.from('a\u00e9\u20ac', '{encoding}'));"), Is.EqualTo(bytes));
    }

    [TestCase("Buffer.from('0aFf9z12', 'HEX')", "[10,255]", TestName = "hex: stops at the first pair that is not hexadecimal")]
    [TestCase("Buffer.from('abc', 'hex')", "[171]", TestName = "hex: an odd last digit is dropped")]
    [TestCase("Buffer.from('+/-_', 'base64')", "[251,255,191]", TestName = "base64: both alphabets")]
    [TestCase("Buffer.from('YW Jj\\nZA', 'base64')", "[97,98,99,100]", TestName = "base64: white space skipped")]
    [TestCase("Buffer.from('YW*J.j', 'base64')", "[97,98,99]", TestName = "base64: other characters skipped")]
    [TestCase("Buffer.from('YQ==YWJj', 'base64')", "[97]", TestName = "base64: padding ends the data")]
    [TestCase("Buffer.from('YWJjZ', 'base64')", "[97,98,99]", TestName = "base64: a lone last character is dropped")]
    [TestCase("Buffer.from('YWI', 'base64url')", "[97,98]", TestName = "base64url: padding optional")]
    public void From_LenientHexAndBase64_DecodeAsNodeDoes(string expression, string bytes)
    {
        Assert.That(Claim($"return Array.from({expression});"), Is.EqualTo(bytes));
    }

    [Test]
    public void ToString_EachEncoding_IsNodesText()
    {
        var claim = Claim(
            """
            const b = Buffer.from([0xfb, 0xff, 0x41, 0xe9]);
            const utf8 = Buffer.from([0xc3, 0xa9, 0x41]);
            return [b.toString('base64'), b.toString('BASE64URL'), b.toString('hex'), b.toString('latin1'), b.toString('binary'),
              b.toString('ascii'), utf8.toString('utf-8'), utf8.toString(), Buffer.from('abcdef').toString('utf8', 1, 3),
              Buffer.from('abcdef').toString(undefined, 2)];
            """);

        Assert.That(claim, Is.EqualTo("""["\u002B/9B6Q==","-_9B6Q","fbff41e9","\u00FB\u00FFA\u00E9","\u00FB\u00FFA\u00E9","{\u007FAi","\u00E9A","\u00E9A","bc","cdef"]"""));
    }

    [TestCase("Buffer.from('a', 'nope')")]
    [TestCase("Buffer.from([1]).toString('nope')")]
    [TestCase("Buffer.byteLength('a', 'nope')")]
    public void UnknownEncoding_IsATypeErrorNamingIt(string expression)
    {
        Assert.That(Claim($"return {expression};"), Is.EqualTo("""["TypeError","Unknown encoding: nope"]"""));
    }

    [Test]
    public void Helpers_AnswerAsNodes()
    {
        var claim = Claim(
            """
            // Rules have no Uint8Array or ArrayBuffer global (TypedArrayAttackTests): these are the ones Buffer stands on.
            const Uint8Array = Object.getPrototypeOf(Buffer);
            const ArrayBuffer = Buffer.alloc(0).buffer.constructor;
            return [
              [Buffer.byteLength('é€'), Buffer.byteLength(Buffer.alloc(3)), Buffer.byteLength('abcd', 'hex'), Buffer.byteLength('YWJj', 'base64')],
              ['HEX', 'base64url', 'binary', 'utf-8', 'nope', undefined].map(Buffer.isEncoding),
              [Array.from(Buffer.alloc(3, 'b')), Array.from(Buffer.alloc(2, 7)), Array.from(Buffer.alloc(2, '')), Array.from(Buffer.alloc(2))],
              [Buffer.isBuffer(new Uint8Array(1)), Buffer.isBuffer(Buffer.alloc(1)), Buffer.isBuffer('a')],
              Buffer.concat([Buffer.from('ab'), Buffer.from('c'), Buffer.alloc(0)]).toString(),
              Array.from(Buffer.from({ type: 'Buffer', data: [1, 2] })), Array.from(Buffer.from(new Uint8Array([1, 2]).buffer)),
              Array.from(Buffer.from([257, -1, 'x'])),
              [Buffer.from('ab').equals(Buffer.from('ab')), Buffer.from('ab').equals(Buffer.from('abc')), Buffer.from('ab').equals(Buffer.from('ac')),
                Buffer.from('ab').equals(new Uint8Array([97, 98]))],
              JSON.stringify(Buffer.from('ab')),
              [Buffer.from('abcd').slice(1, 3).toString(), Buffer.isBuffer(Buffer.from('abcd').slice(1))],
              [Array.from(Buffer(2)), Buffer('ab').toString()],
              [Buffer.from('ab') instanceof Uint8Array, Buffer.from('ab').constructor === Buffer, Uint8Array.BYTES_PER_ELEMENT,
                ArrayBuffer.isView(Buffer.alloc(1)), ArrayBuffer.isView([])],
            ];
            """);

        Assert.That(claim, Is.EqualTo(
            "[[5,3,2,3],[true,true,true,true,false,false],[[98,98,98],[7,7],[0,0],[0,0]],[false,true,false],\"abc\",[1,2],[1,2],[1,255,0]," +
            "[true,false,false,true],\"{\\u0022type\\u0022:\\u0022Buffer\\u0022,\\u0022data\\u0022:[97,98]}\",[\"bc\",true],[[0,0],\"ab\"],[true,true,1,true,false]]"));
    }

    // Before the fix, subarray gave a copy of the whole buffer ("xbcd", length 4) and slice and from(arrayBuffer) copies.
    [Test]
    public void SubarraySliceAndFromAnArrayBuffer_AreViewsOfTheSameMemory_AsInNode()
    {
        var claim = Claim(
            """
            const b = Buffer.from('abcd');
            const sub = b.subarray(1, 3);
            sub[0] = 120;
            const sliced = b.slice(2);
            sliced[1] = 121;
            const memory = new (Buffer.alloc(0).buffer.constructor)(4);
            const view = Buffer.from(memory, 1, 2);
            view[0] = 7;
            return [b.toString(), sub.toString(), Buffer.isBuffer(sub), sub.length, sliced.toString(), Buffer.isBuffer(sliced),
              Array.from(Buffer.from(memory)), view.length, Buffer.isBuffer(view), b.map(x => x + 1).toString(), b.filter(x => x > 99).toString(),
              Buffer.length, Buffer.from.length];
            """);

        Assert.That(claim, Is.EqualTo("""["axcy","xc",true,2,"cy",true,[0,7,0,0],2,true,"bydz","xy",3,3]"""));
    }

    [TestCase("Buffer.from('ab').equals([97, 98])", "TypeError", "The \"otherBuffer\" argument must be an instance of Buffer or Uint8Array.")]
    [TestCase("Buffer.from(5)", "TypeError", "The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.")]
    [TestCase("Buffer.from(null)", "TypeError", "The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object.")]
    [TestCase("Object.getPrototypeOf(Buffer)(2)", "TypeError", "Constructor Uint8Array requires 'new'")]
    [TestCase("Buffer.alloc(0).buffer.constructor(2)", "TypeError", "Constructor ArrayBuffer requires 'new'")]
    public void Misuse_IsNodesError(string expression, string name, string message)
    {
        Assert.That(Claim($"return {expression};"), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(new[] { name, message }, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default })));
    }

    // Text of 2 characters per byte is read whole (hex); one more character is refused before it is decoded.
    [TestCase("Buffer.from('00'.repeat(65536), 'hex').length", "65536")]
    [TestCase("Buffer.from('00'.repeat(65536) + '0', 'hex').length", """["TypeError","binary data is limited to 65536 bytes in rules"]""")]
    [TestCase("Buffer.from('\u00e9'.repeat(32768)).length", "65536")]
    [TestCase("Buffer.from('\u00e9'.repeat(32768) + 'a').length", """["TypeError","binary data is limited to 65536 bytes in rules"]""")]
    [TestCase("require('crypto').createHash('md5').update('\u00e9'.repeat(32768) + 'a')", """["TypeError","binary data is limited to 65536 bytes in rules"]""")]
    [TestCase("Buffer.alloc(65536).toString('hex').length", "131072")]
    [TestCase("Buffer.byteLength('a'.repeat(65536))", "65536")]
    public void TextToBytes_AtTheBinaryCap_IsReadAndOneOverIsRefused(string expression, string expected)
    {
        Assert.That(Claim($"return {expression};"), Is.EqualTo(expected));
    }
}
