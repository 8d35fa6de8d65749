using System.Text.Encodings.Web;
using System.Text.Json;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// What a rule sees of <c>engine/Sandbox/NodeCompat</c>'s small files (issue 19, session 8): every unit of the
/// <c>ms</c> timespans <c>jwt.sign</c> reads (<c>JwtTimespan</c>), the errors <c>jwt</c> throws (<c>JwtErrors</c>),
/// the Node globals and their timers (<c>NodeGlobals</c>), and the bytes <c>crypto</c> takes and gives (<c>NodeBinary</c>). Each test checks a whole table in one rule, so that a
/// mutation run of these files stays short. The expected timespans are what jsonwebtoken 9 with ms 2 gives in Node.
/// </summary>
public sealed class MutationNodeCompatTests
{
    private const string Secret = "a-shared-secret-of-at-least-32-bytes!";

    private static readonly RulePipelineSettings Settings = new()
    {
        Configuration = new Dictionary<string, string> { ["SECRET"] = Secret },
        Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) },
    };

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Unreadable = """["Error","\"expiresIn\" should be a number of seconds or string representing a timespan eg: \"1d\", \"20h\", 60"]""";

    /// <summary>Runs <paramref name="body"/> (which returns a value, or calls <c>done(value)</c> when it says so) and gives its value as JSON.</summary>
    private static string Claim(string body)
    {
        var decision = Some.Decision(Some.Login(), Settings,
            $$"""
            function (user, context, callback) {
              'use strict';
              const secret = configuration.SECRET;
              const done = (value) => { context.idToken['https://x/v'] = value; callback(null, user, context); };
              const result = (() => { try { {{body}} } catch (e) { return [e.name, e.message]; } })();
              if (result !== 'later') { done(result); }
            }
            """);
        Assert.That(decision.Error, Is.Null, () => $"the rule failed: {decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/v"]!.ToJsonString(Readable);
    }

    // Each unit of ms, with what 3 of it is in seconds (3,500 for the milliseconds, which round down to 3).
    [Test]
    public void ExpiresIn_EveryUnitOfTheMsFormat_IsItsSeconds()
    {
        (string Text, long Seconds)[] table =
        [
            ("3 years", 94_672_800), ("3 year", 94_672_800), ("3 yrs", 94_672_800), ("3 yr", 94_672_800), ("3 y", 94_672_800),
            ("3 weeks", 1_814_400), ("3 week", 1_814_400), ("3 w", 1_814_400),
            ("3 days", 259_200), ("3 day", 259_200), ("3 d", 259_200),
            ("3 hours", 10_800), ("3 hour", 10_800), ("3 hrs", 10_800), ("3 hr", 10_800), ("3 h", 10_800),
            ("3 minutes", 180), ("3 minute", 180), ("3 mins", 180), ("3 min", 180), ("3 m", 180),
            ("3 seconds", 3), ("3 second", 3), ("3 secs", 3), ("3 sec", 3), ("3 s", 3),
            ("3500 milliseconds", 3), ("3500 millisecond", 3), ("3500 msecs", 3), ("3500 msec", 3), ("3500ms", 3), ("3500", 3),
            ("3 DAYS", 259_200), ("3Hrs", 10_800), (".5h", 1_800), ("-3h", -10_800), ("-.5m", -30), ("1.5 d", 129_600), ("3   d", 259_200),
        ];

        var texts = JsonSerializer.Serialize(table.Select(row => row.Text));
        var claim = Claim($"return {texts}.map(t => {{ const p = jwt.decode(jwt.sign({{ a: 1 }}, secret, {{ expiresIn: t, notBefore: t }})); return [p.exp - p.iat, p.nbf - p.iat]; }});");

        Assert.That(claim, Is.EqualTo(JsonSerializer.Serialize(table.Select(row => new[] { row.Seconds, row.Seconds }))));
    }

    // ms reads at most 100 characters; spaces only between the amount and the unit; no other units, digits or exponents.
    [TestCase("'3' + ' '.repeat(98) + 'd'", "259200")]
    [TestCase("'3' + ' '.repeat(99) + 'd'", Unreadable)]
    [TestCase("'3 fortnights'", Unreadable)]
    [TestCase("'3 d '", Unreadable)]
    [TestCase("' 3d'", Unreadable)]
    [TestCase("'3.d'", Unreadable)]
    [TestCase("'1e3'", Unreadable)]
    [TestCase("'3.5.1h'", Unreadable)]
    [TestCase("'-'", Unreadable)]
    [TestCase("'3d\\n'", Unreadable)]
    [TestCase("'\\u0663d'", Unreadable)]
    public void ExpiresIn_OfAnotherForm_IsRefusedAsMsRefusesIt(string expiresIn, string expected)
    {
        var claim = Claim($"const p = jwt.decode(jwt.sign({{ a: 1 }}, secret, {{ expiresIn: {expiresIn} }})); return p.exp - p.iat;");

        Assert.That(claim, Is.EqualTo(expected));
    }

    [Test]
    public void JwtErrors_AreErrorsWithJsonWebTokensNames_AndOnlyTheTimeErrorsCarryADate()
    {
        var claim = Claim(
            """
            const now = Math.floor(Date.now() / 1000);
            const seen = [];
            for (const [token, key] of [[jwt.sign({ exp: now - 5 }, secret), secret], [jwt.sign({ nbf: now + 60 }, secret), secret], [jwt.sign({}, secret), secret + '!']]) {
              try { jwt.verify(token, key); } catch (e) {
                const dates = ['expiredAt', 'date'].filter(name => name in e).map(name => [name, e[name] instanceof Date ? e[name].toISOString() : e[name]]);
                seen.push([e.name, e.message, e instanceof Error, Object.prototype.hasOwnProperty.call(e, 'name'), dates]);
              }
            }
            return seen;
            """);

        Assert.That(claim, Is.EqualTo(
            """[["TokenExpiredError","jwt expired",true,true,[["expiredAt","2026-11-25T10:29:55.000Z"]]],""" +
            """["NotBeforeError","jwt not active",true,true,[["date","2026-11-25T10:31:00.000Z"]]],""" +
            """["JsonWebTokenError","invalid signature",true,true,[]]]"""));
    }

    [Test]
    public void NodeGlobals_AreThereWithoutARequire_AndAreTheModulesOwn()
    {
        var claim = Claim(
            """
            return [typeof require, typeof Buffer, typeof uuid.v4, typeof process, typeof jwt.sign, typeof setTimeout, typeof setImmediate,
              typeof clearTimeout, typeof clearImmediate, Buffer === require('buffer').Buffer, uuid.v4 === require('uuid').v4];
            """);

        Assert.That(claim, Is.EqualTo("""["function","function","function","object","function","function","function","function","function",true,true]"""));
    }

    [Test]
    public void Process_PropertiesAreReadOnlyAndPermanent()
    {
        var claim = Claim(
            """
            const flags = (o) => Object.entries(Object.getOwnPropertyDescriptors(o)).map(([k, d]) => [k, d.writable, d.enumerable, d.configurable]);
            const deleted = (() => { try { delete process.version; return 'deleted'; } catch (e) { return e.name; } })();
            return [flags(process), flags(process.versions), deleted, process.version];
            """);

        Assert.That(claim, Is.EqualTo(
            """[[["version",false,true,false],["versions",false,true,false],["env",false,true,false],["platform",false,true,false]],[["node",false,true,false]],"TypeError","v18.20.4"]"""));
    }

    // setTimeout passes its arguments after the delay, setImmediate those after the callback; the clear functions
    // cancel only their own timer, and do nothing without one.
    [Test]
    public void Timers_PassTheirArgumentsOnAndAreCleared()
    {
        var claim = Claim(
            """
            const order = [];
            setTimeout((a, b) => order.push('timeout', a, b), 20, 'x', 'y');
            setTimeout(() => order.push('five'), 5);
            setImmediate((a, b) => order.push('immediate', a, b), 'p', 'q');
            clearImmediate(setImmediate(() => order.push('cleared immediate')));
            clearTimeout(setTimeout(() => order.push('cleared timeout'), 1));
            clearTimeout();
            clearImmediate();
            setTimeout(() => done(order), 40);
            return 'later';
            """);

        Assert.That(claim, Is.EqualTo("""["immediate","p","q","five","timeout","x","y"]"""));
    }

    // A Uint8Array (not a global in rules: the one Buffer extends) of exactly the binary cap is read; digests and
    // random bytes are Buffers (the digests are Node's).
    [Test]
    public void Crypto_TakesUint8ArraysUpToTheCap_AndGivesBuffers()
    {
        var claim = Claim(
            """
            const crypto = require('crypto');
            const Uint8Array = Object.getPrototypeOf(Buffer.prototype).constructor;
            const md5 = (data) => crypto.createHash('md5').update(data);
            return [Buffer.isBuffer(md5('a').digest()), md5('a').digest().toString('hex'), md5(new Uint8Array([97])).digest('hex'),
              md5(new Uint8Array(65536)).digest('base64'), Buffer.isBuffer(crypto.randomBytes(4)), crypto.randomBytes(4).length,
              (() => { try { return md5(42); } catch (e) { return [e.name, e.message]; } })()];
            """);

        Assert.That(claim, Is.EqualTo(
            """[true,"0cc175b9c0f1b6a831c399e269772661","0cc175b9c0f1b6a831c399e269772661","/Na8tWwWifzvKLV8IkdbrQ==",true,4,["TypeError","The \"data\" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received type number (42)"]]"""));
    }

    // Every edge of the base64 alphabet, and text shorter than a base64 group (Node's values).
    [Test]
    public void Base64_EdgesOfTheAlphabetAndShortText_AreNodesBytes()
    {
        Assert.That(Claim("return [Buffer.from('azAZ09+/', 'base64').toString('hex'), Buffer.from('QQ', 'base64').toString('hex'), Buffer.from('', 'base64').length];"),
            Is.EqualTo("""["6b3019d3dfbf","41",0]"""));
    }

    // The tenant's binary cap, not the default, is what Buffer refuses beyond.
    [Test]
    public void Buffer_IsCappedAtTheTenantsLimit()
    {
        var settings = new RulePipelineSettings { Limits = { MaxBinaryBytes = 1024 } };
        var decision = Some.Decision(Some.Login(), settings,
            """
            function (user, context, callback) {
              const tries = [1024, 1025].map(n => { try { return Buffer.alloc(n).length; } catch (e) { return [e.name, e.message]; } });
              context.idToken['https://x/v'] = tries;
              callback(null, user, context);
            }
            """);

        Assert.That(decision.IdTokenClaims["https://x/v"]!.ToJsonString(Readable),
            Is.EqualTo("""[1024,["RangeError","binary data is limited to 1024 bytes in rules, not 1025"]]"""));
    }
}
