using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// The <c>jwt</c> global at its edges (issue 19, mutation testing of engine/Sandbox/NodeCompat): every registered
/// claim check at its boundary and with its option, the errors' names, messages and dates as jsonwebtoken gives them,
/// every algorithm, every signing option, the callback form, and the keys a verification must refuse.
/// </summary>
public sealed class MutationJwtTests
{
    private const string Secret = "a-shared-secret-of-at-least-32-bytes!";

    /// <summary>The rule's clock (<see cref="Some.Now"/>) in seconds, as <c>now</c> in every rule below.</summary>
    private static readonly long Now = Some.Now.ToUnixTimeSeconds();

    private static readonly RulePipelineSettings Settings = new()
    {
        Configuration = Keys(),
        Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) },
    };

    private static Dictionary<string, string> Keys()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=rules", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Some.Now.AddDays(-1), Some.Now.AddDays(1));
        return new Dictionary<string, string>
        {
            ["SECRET"] = Secret,
            ["LONG_SECRET"] = Secret + Secret,
            ["PRIVATE_KEY"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["PUBLIC_KEY"] = rsa.ExportSubjectPublicKeyInfoPem(),
            ["CERTIFICATE"] = certificate.ExportCertificatePem(),
        };
    }

    private static string Claim(string body)
    {
        var decision = Some.Decision(Some.Login(), Settings,
            $$"""
            function (user, context, callback) {
              const now = Math.floor(Date.now() / 1000);
              const secret = configuration.SECRET;
              const result = (() => { try { {{body}} } catch (e) { return [e.name, e.message]; } })();
              context.idToken['https://x/v'] = result === undefined ? 'undefined' : result;
              callback(null, user, context);
            }
            """);
        Assert.That(decision.Error, Is.Null, () => $"{decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/v"]?.ToJsonString(Readable) ?? "null";
    }

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Expired = "[\"TokenExpiredError\",\"jwt expired\"]";
    private const string NotActive = "[\"NotBeforeError\",\"jwt not active\"]";

    [TestCase(0, "{}", Expired)]
    [TestCase(1, "{}", "1")]
    [TestCase(-10, "{ clockTolerance: 10 }", Expired)]
    [TestCase(-10, "{ clockTolerance: 11 }", "-10")]
    [TestCase(-10, "{ ignoreExpiration: true }", "-10")]
    [TestCase(-10, "{ ignoreExpiration: false }", Expired)]
    [TestCase(-10, "{ ignoreNotBefore: true }", Expired)]
    [TestCase(0, "{ clockTolerance: NaN }", Expired)]
    [TestCase(-10, "{ clockTolerance: NaN }", Expired)]
    [TestCase(-10, "{ clockTolerance: '10' }", "-10")]
    public void Verify_Expiry_IsCheckedFromItsOwnSecond_WithTheTolerance(int expiresIn, string options, string expected)
    {
        var claim = Claim($"const t = jwt.sign({{ exp: now + {expiresIn} }}, secret); return jwt.verify(t, secret, {options}).exp - now;");

        Assert.That(claim, Is.EqualTo(expected));
    }

    [TestCase(0, "{}", "0")]
    [TestCase(1, "{}", NotActive)]
    [TestCase(10, "{ clockTolerance: 10 }", "10")]
    [TestCase(11, "{ clockTolerance: 10 }", NotActive)]
    [TestCase(11, "{ ignoreNotBefore: true }", "11")]
    [TestCase(11, "{ ignoreNotBefore: false }", NotActive)]
    [TestCase(11, "{ ignoreExpiration: true }", NotActive)]
    [TestCase(1, "{ clockTolerance: NaN }", NotActive)]
    [TestCase(11, "{ clockTolerance: '10' }", "11")]
    public void Verify_NotBefore_IsCheckedAfterItsOwnSecond_WithTheTolerance(int activeIn, string options, string expected)
    {
        var claim = Claim($"const t = jwt.sign({{ nbf: now + {activeIn} }}, secret); return jwt.verify(t, secret, {options}).nbf - now;");

        Assert.That(claim, Is.EqualTo(expected));
    }

    [Test]
    public void Verify_ExpiredOrNotYetActive_ThrowsAnErrorCarryingTheDate()
    {
        var claim = Claim(
            """
            const seen = [];
            for (const payload of [{ exp: now - 5 }, { nbf: now + 60 }]) {
              try { jwt.verify(jwt.sign(payload, secret), secret); } catch (e) {
                const date = e.expiredAt || e.date;
                seen.push(e.name, date instanceof Date ? date.toISOString() : String(date), e instanceof Error, 'expiredAt' in e, 'date' in e);
              }
            }
            return seen;
            """);

        Assert.That(claim, Is.EqualTo(
            "[\"TokenExpiredError\",\"2026-11-25T10:29:55.000Z\",true,true,false,\"NotBeforeError\",\"2026-11-25T10:31:00.000Z\",true,false,true]"));
    }

    [TestCase("['a', 'b']", "'b'", "[\"a\",\"b\"]")]
    [TestCase("'a'", "['x', 'a']", "\"a\"")]
    [TestCase("'a'", "['x', 'y']", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: x or y\"]")]
    [TestCase("['a', 'b']", "'c'", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: c\"]")]
    [TestCase("undefined", "'a'", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: a\"]")]
    [TestCase("undefined", "undefined", "\"undefined\"")]
    [TestCase("'a'", "''", "\"a\"")]
    [TestCase("undefined", "''", "\"undefined\"")]
    [TestCase("undefined", "['']", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: \"]")]
    [TestCase("[null]", "['']", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: \"]")]
    public void Verify_Audience_MatchesAnyOfTheTokensAgainstAnyExpected(string audience, string expected, string result)
    {
        var claim = Claim($"const t = jwt.sign({{ a: 1, aud: {audience} }}, secret); return jwt.verify(t, secret, {{ audience: {expected} }}).aud;");

        Assert.That(claim, Is.EqualTo(result));
    }

    [TestCase("'a'", "['b', 'a']", "\"a\"")]
    [TestCase("'a'", "['b', 'c']", "[\"JsonWebTokenError\",\"jwt issuer invalid. expected: b,c\"]")]
    [TestCase("undefined", "'a'", "[\"JsonWebTokenError\",\"jwt issuer invalid. expected: a\"]")]
    [TestCase("'a'", "''", "\"a\"")]
    [TestCase("undefined", "['']", "[\"JsonWebTokenError\",\"jwt issuer invalid. expected: \"]")]
    public void Verify_Issuer_IsOneOfTheExpected(string issuer, string expected, string result)
    {
        var claim = Claim($"const t = jwt.sign({{ a: 1, iss: {issuer} }}, secret); return jwt.verify(t, secret, {{ issuer: {expected} }}).iss;");

        Assert.That(claim, Is.EqualTo(result));
    }

    [TestCase("'x'", "'x'", "\"x\"")]
    [TestCase("'x'", "'y'", "[\"JsonWebTokenError\",\"jwt subject invalid. expected: y\"]")]
    [TestCase("undefined", "'y'", "[\"JsonWebTokenError\",\"jwt subject invalid. expected: y\"]")]
    [TestCase("'x'", "''", "\"x\"")]
    public void Verify_Subject_IsTheExpectedOne(string subject, string expected, string result)
    {
        var claim = Claim($"const t = jwt.sign({{ a: 1, sub: {subject} }}, secret); return jwt.verify(t, secret, {{ subject: {expected} }}).sub;");

        Assert.That(claim, Is.EqualTo(result));
    }

    [TestCase("'text'")]
    [TestCase("[1, 2]")]
    [TestCase("null")]
    [TestCase("undefined")]
    [TestCase("new Date(0)")]
    public void Sign_PayloadThatIsNotAPlainObject_IsRefused(string payload)
    {
        Assert.That(Claim($"return jwt.sign({payload}, secret);"), Is.EqualTo("[\"Error\",\"payload must be a plain object in rules\"]"));
    }

    [Test]
    public void Sign_WithoutArguments_IsRefused()
    {
        Assert.That(Claim("return jwt.sign();"), Is.EqualTo("[\"Error\",\"payload must be a plain object in rules\"]"));
    }

    [TestCase("'none'")]
    [TestCase("'PS256'")]
    [TestCase("'ES256'")]
    public void Sign_UnknownAlgorithm_IsRefusedNamingTheKnownOnes(string algorithm)
    {
        var claim = Claim($"return jwt.sign({{ a: 1 }}, secret, {{ algorithm: {algorithm} }});");

        Assert.That(claim, Is.EqualTo("[\"Error\",\"\\\"algorithm\\\" must be a valid string enum value: HS256, HS384, HS512, RS256, RS384, RS512\"]"));
    }

    [TestCase("HS256", "secret", "secret")]
    [TestCase("HS384", "configuration.LONG_SECRET", "configuration.LONG_SECRET")]
    [TestCase("HS512", "configuration.LONG_SECRET", "configuration.LONG_SECRET")]
    [TestCase("RS256", "configuration.PRIVATE_KEY", "configuration.PUBLIC_KEY")]
    [TestCase("RS384", "configuration.PRIVATE_KEY", "configuration.PUBLIC_KEY")]
    [TestCase("RS512", "configuration.PRIVATE_KEY", "configuration.CERTIFICATE")]
    public void SignThenVerify_EveryAlgorithm_RoundTrips(string algorithm, string signingKey, string verifyingKey)
    {
        var claim = Claim(
            $"const t = jwt.sign({{ a: 1 }}, {signingKey}, {{ algorithm: '{algorithm}' }}); return [jwt.decode(t, {{ complete: true }}).header.alg, jwt.verify(t, {verifyingKey}).a];");

        Assert.That(claim, Is.EqualTo($"[\"{algorithm}\",1]"));
    }

    /// <summary>sign.js puts a truthy algorithm in the header as it is, and calls its <c>startsWith</c>.</summary>
    [TestCase("256")]
    [TestCase("['HS256']")]
    public void Sign_AlgorithmThatIsTruthyButNoString_FailsAsJsonwebtokensHeaderCheckDoes(string algorithm)
    {
        var claim = Claim($"return jwt.sign({{ a: 1 }}, secret, {{ algorithm: {algorithm} }});");

        Assert.That(claim, Is.EqualTo("[\"TypeError\",\"header.alg.startsWith is not a function\"]"));
    }

    /// <summary>A payload, or a claim given as an option, too deep to convert stops the rule naming the token's payload.</summary>
    [TestCase("jwt.sign(deep, secret)")]
    [TestCase("jwt.sign({ a: 1 }, secret, { audience: [deep] })")]
    public void Sign_ValueTooDeepToConvert_StopsTheRuleNamingThePayload(string call)
    {
        var decision = Some.Decision(Some.Login(), Settings,
            $"function (user, context, callback) {{ let deep = 1; for (let i = 0; i < 40; i++) {{ deep = {{ deep }}; }} const secret = configuration.SECRET; {call}; callback(null, user, context); }}");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Limit, Is.EqualTo(SandboxLimit.OutputDepth));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' made the jwt payload deeper than 32 levels."));
        });
    }

    [TestCase("{}", "[true,1795602600]")]
    [TestCase("{ noTimestamp: false }", "[true,1795602600]")]
    [TestCase("{ noTimestamp: true }", "[false,null]")]
    public void Sign_IssuedAt_IsTheRulesClockUnlessNoTimestamp(string options, string expected)
    {
        var claim = Claim($"const p = jwt.decode(jwt.sign({{ a: 1 }}, secret, {options})); return ['iat' in p, p.iat === undefined ? null : p.iat];");

        Assert.Multiple(() =>
        {
            Assert.That(Now, Is.EqualTo(1795602600), "the rule's clock");
            Assert.That(claim, Is.EqualTo(expected));
        });
    }

    [Test]
    public void Sign_PayloadsOwnIssuedAt_IsKeptAndTheTimesCountFromIt()
    {
        var claim = Claim("const p = jwt.decode(jwt.sign({ iat: 1000 }, secret, { expiresIn: 60, notBefore: '1m' })); return [p.iat, p.exp, p.nbf];");

        Assert.That(claim, Is.EqualTo("[1000,1060,1060]"));
    }

    [TestCase("90", 90)]
    [TestCase("'2 days'", 172_800)]
    [TestCase("'10h'", 36_000)]
    [TestCase("'1.5h'", 5_400)]
    [TestCase("'1500'", 1)]
    [TestCase("'7d'", 604_800)]
    public void Sign_ExpiresIn_IsSecondsOrATimespan(string expiresIn, int seconds)
    {
        var claim = Claim($"const p = jwt.decode(jwt.sign({{ a: 1 }}, secret, {{ expiresIn: {expiresIn}, notBefore: {expiresIn} }})); return [p.exp - p.iat, p.nbf - p.iat];");

        Assert.That(claim, Is.EqualTo($"[{seconds},{seconds}]"));
    }

    // sign.js reads a string with ms; one it cannot read is refused with the examples of its own message.
    [TestCase("expiresIn", "'soon'")]
    [TestCase("notBefore", "'a while'")]
    public void Sign_UnreadableTimespanString_IsRefusedNamingTheOptionWithNodesExamples(string option, string value)
    {
        var claim = Claim($"return jwt.sign({{ a: 1 }}, secret, {{ {option}: {value} }});");

        Assert.That(claim, Is.EqualTo($"[\"Error\",\"\\\"{option}\\\" should be a number of seconds or string representing a timespan eg: \\\"1d\\\", \\\"20h\\\", 60\"]"));
    }

    // sign.js's options schema takes a whole number (lodash isInteger) or a non-empty string, and refuses anything else
    // before reading it, with the schema's message (no examples): 2.5 seconds is not rounded.
    [TestCase("expiresIn", "2.5")]
    [TestCase("notBefore", "2.5")]
    [TestCase("expiresIn", "-0.5")]
    [TestCase("expiresIn", "NaN")]
    [TestCase("notBefore", "Infinity")]
    [TestCase("expiresIn", "null")]
    [TestCase("expiresIn", "''")]
    [TestCase("expiresIn", "{}")]
    [TestCase("notBefore", "true")]
    public void Sign_TimespanNeitherAWholeNumberNorAString_IsRefusedWithTheOptionsSchemasMessage(string option, string value)
    {
        var claim = Claim($"return jwt.sign({{ a: 1 }}, secret, {{ {option}: {value} }});");

        Assert.That(claim, Is.EqualTo($"[\"Error\",\"\\\"{option}\\\" should be a number of seconds or string representing a timespan\"]"));
    }

    [TestCase("jwt.sign(new Proxy({ a: 1 }, { ownKeys: () => [Symbol('s'), 'a'] }), secret)")]
    [TestCase("jwt.sign({ a: 1 }, secret, new Proxy({ expiresIn: 60 }, { ownKeys: () => [Symbol('s'), 'expiresIn'] }))")]
    public void Sign_ProxyWhoseOwnKeysAnswerASymbol_IsSignedWithoutIt(string sign)
    {
        // As Object.keys, which sign.js's schemas read: the symbol is left out, not an internal error.
        Assert.That(Claim($"return jwt.decode({sign}).a;"), Is.EqualTo("1"));
    }

    // sign.js checks its options against a schema that knows every option: another key (even one set to undefined) is
    // not allowed, a known one must hold what it takes (undefined included), and options must be a plain object.
    [TestCase("{ xyz: 1 }", "\"xyz\" is not allowed in \"options\"")]
    [TestCase("{ algorithms: ['HS256'] }", "\"algorithms\" is not allowed in \"options\"")]
    [TestCase("{ expiresIn: 60, expiresln: 60 }", "\"expiresln\" is not allowed in \"options\"")]
    [TestCase("{ xyz: undefined }", "\"xyz\" is not allowed in \"options\"")]
    [TestCase("{ 0: 1 }", "\"0\" is not allowed in \"options\"")]
    [TestCase("{ audience: 5 }", "\"audience\" must be a string or array")]
    [TestCase("{ audience: undefined }", "\"audience\" must be a string or array")]
    [TestCase("{ issuer: 5 }", "\"issuer\" must be a string")]
    [TestCase("{ subject: null }", "\"subject\" must be a string")]
    [TestCase("{ jwtid: 1 }", "\"jwtid\" must be a string")]
    [TestCase("{ keyid: 1 }", "\"keyid\" must be a string")]
    [TestCase("{ noTimestamp: 'yes' }", "\"noTimestamp\" must be a boolean")]
    [TestCase("{ header: [] }", "\"header\" must be an object")]
    [TestCase("{ encoding: 1 }", "\"encoding\" must be a string")]
    [TestCase("{ mutatePayload: 1 }", "\"mutatePayload\" must be a boolean")]
    [TestCase("{ allowInsecureKeySizes: 1 }", "\"allowInsecureKeySizes\" must be a boolean")]
    [TestCase("{ allowInvalidAsymmetricKeyTypes: 1 }", "\"allowInvalidAsymmetricKeyTypes\" must be a boolean")]
    [TestCase("{ algorithm: 'hs256' }", "\"algorithm\" must be a valid string enum value")]
    [TestCase("{ algorithm: undefined }", "\"algorithm\" must be a valid string enum value")]
    [TestCase("'HS256'", "Expected \"options\" to be a plain object.")]
    [TestCase("[]", "Expected \"options\" to be a plain object.")]
    public void Sign_OptionsOutsideTheSchema_AreRefusedWithItsMessage(string options, string message)
    {
        var claim = Claim($"return jwt.sign({{ a: 1 }}, secret, {options});");

        Assert.That(claim, Is.EqualTo(JsonSerializer.Serialize(new[] { "Error", message }, Readable)));
    }

    [TestCase("{ header: {}, encoding: 'utf8', mutatePayload: false, allowInsecureKeySizes: false, allowInvalidAsymmetricKeyTypes: false, algorithm: 'HS256' }", "[\"a\",\"iat\"]")]
    [TestCase("{ audience: ['a'], issuer: 'i', subject: 's', jwtid: 'j', keyid: 'k', noTimestamp: false, expiresIn: 1, notBefore: '1s' }", "[\"a\",\"iat\",\"nbf\",\"exp\",\"aud\",\"iss\",\"sub\",\"jti\"]")]
    [TestCase("Object.create(null)", "[\"a\",\"iat\"]")]
    [TestCase("null", "[\"a\",\"iat\"]")]
    [TestCase("0", "[\"a\",\"iat\"]")]
    public void Sign_OptionsTheSchemaTakes_AreSigned(string options, string claims)
    {
        Assert.That(Claim($"return Object.keys(jwt.decode(jwt.sign({{ a: 1 }}, secret, {options})));"), Is.EqualTo(claims));
    }

    // sign.js refuses a claim the payload already has that an option would set, rather than choose one; its own iat, exp
    // and nbf (present, even as undefined) must be numbers. Both before the options' schema; aud, iss, sub, jti after it.
    [TestCase("{ exp: 1 }", "{ expiresIn: 60 }", "Bad \"options.expiresIn\" option the payload already has an \"exp\" property.")]
    [TestCase("{ nbf: 1 }", "{ notBefore: 60 }", "Bad \"options.notBefore\" option the payload already has an \"nbf\" property.")]
    [TestCase("{ exp: 1, nbf: 1 }", "{ notBefore: 60, expiresIn: 60 }", "Bad \"options.expiresIn\" option the payload already has an \"exp\" property.")]
    [TestCase("{ exp: 1 }", "{ expiresIn: 'soon', xyz: 1 }", "Bad \"options.expiresIn\" option the payload already has an \"exp\" property.")]
    [TestCase("{ aud: 'x' }", "{ audience: 'y' }", "Bad \"options.audience\" option. The payload already has an \"aud\" property.")]
    [TestCase("{ iss: 'x' }", "{ issuer: 'y' }", "Bad \"options.issuer\" option. The payload already has an \"iss\" property.")]
    [TestCase("{ sub: 'x' }", "{ subject: 'y' }", "Bad \"options.subject\" option. The payload already has an \"sub\" property.")]
    [TestCase("{ jti: 'x' }", "{ jwtid: 'y' }", "Bad \"options.jwtid\" option. The payload already has an \"jti\" property.")]
    [TestCase("{ exp: 'x' }", "{}", "\"exp\" should be a number of seconds")]
    [TestCase("{ iat: null }", "{}", "\"iat\" should be a number of seconds")]
    [TestCase("{ nbf: undefined }", "{ notBefore: 60 }", "\"nbf\" should be a number of seconds")]
    public void Sign_PayloadClaimThatAnOptionWouldSetOrThatIsNoNumber_IsRefused(string payload, string options, string message)
    {
        var claim = Claim($"return jwt.sign({payload}, secret, {options});");

        Assert.That(claim, Is.EqualTo(JsonSerializer.Serialize(new[] { "Error", message }, Readable)));
    }

    // timespan.js adds in JavaScript's numbers from payload.iat || now: a span past a long's range is the double Node
    // writes (1e+21, not 1E+21, in the token's bytes), an iat of 0 counts from now, a fractional iat stays, noTimestamp
    // drops iat after counting from it, and an error's date beyond JavaScript's range is an Invalid Date.
    [TestCase("jwt.sign({ a: 1 }, secret, { expiresIn: 1e21 }).split('.')[1]", "\"eyJhIjoxLCJpYXQiOjE3OTU2MDI2MDAsImV4cCI6MS4wMDAwMDAwMDAwMDE3OTU2ZSsyMX0\"")]
    [TestCase("jwt.decode(jwt.sign({ a: 1 }, secret, { expiresIn: Number.MAX_SAFE_INTEGER })).exp", "9007201050343592")]
    [TestCase("jwt.decode(jwt.sign({ a: 1 }, secret, { notBefore: -1e21 })).nbf", "-999999999998204400000")]
    [TestCase("jwt.decode(jwt.sign({ a: 1 }, secret, { expiresIn: '9'.repeat(99) + 'y' })).exp", "3.1557599999999997e+106")]
    [TestCase("jwt.verify(jwt.sign({ a: 1 }, secret, { expiresIn: 1e21 }), secret, { clockTolerance: 5 }).a", "1")]
    [TestCase("jwt.decode(jwt.sign({ a: 1, iat: 1.5 }, secret, { expiresIn: 60 }))", "{\"a\":1,\"iat\":1.5,\"exp\":61.5}")]
    [TestCase("jwt.decode(jwt.sign({ a: 1, iat: 0 }, secret, { expiresIn: 60 }))", "{\"a\":1,\"iat\":1795602600,\"exp\":1795602660}")]
    [TestCase("jwt.decode(jwt.sign({ a: 1, iat: 1000 }, secret, { expiresIn: 60, noTimestamp: true }))", "{\"a\":1,\"exp\":1060}")]
    [TestCase("(() => { try { jwt.verify(jwt.sign({ a: 1, exp: -1e21 }, secret), secret); } catch (e) { return [e.name, String(e.expiredAt)]; } })()", "[\"TokenExpiredError\",\"Invalid Date\"]")]
    public void Sign_Times_AreCountedInJavaScriptsNumbersAsTimespanJsDoes(string expression, string expected)
    {
        Assert.That(Claim($"return {expression};"), Is.EqualTo(expected));
    }

    // A rule reaches binary data as a Buffer and as its ArrayBuffer (buffer.buffer); Node takes both as an HMAC secret.
    [Test]
    public void SignAndVerify_ArrayBufferOfABuffer_IsTheSecretItHolds()
    {
        var claim = Claim(
            """
            const bytes = Buffer.alloc(secret.length);
            for (let i = 0; i < secret.length; i++) { bytes[i] = secret.charCodeAt(i); }
            const token = jwt.sign({ a: 1 }, bytes.buffer);
            return [token === jwt.sign({ a: 1 }, secret), jwt.verify(token, bytes.buffer).a, jwt.verify(jwt.sign({ a: 2 }, secret), bytes.buffer).a];
            """);

        Assert.That(claim, Is.EqualTo("[true,1,2]"));
    }

    // verify.js compares each audience of the token with each expected one by === (or a RegExp's test): a number is
    // not its string, and an array or a number as the expectation is compared as it is.
    [TestCase("{ aud: 5 }", "'5'", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: 5\"]")]
    [TestCase("{ aud: 5 }", "['5']", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: 5\"]")]
    [TestCase("{ aud: [5] }", "'5'", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: 5\"]")]
    [TestCase("{ aud: '5' }", "5", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: 5\"]")]
    [TestCase("{ aud: true }", "'true'", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: true\"]")]
    [TestCase("{ aud: null }", "'null'", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: null\"]")]
    [TestCase("{ aud: 'a' }", "/b/", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: /b/\"]")]
    [TestCase("{ aud: 'x' }", "[null, undefined, 'y']", "[\"JsonWebTokenError\",\"jwt audience invalid. expected:  or  or y\"]")]
    [TestCase("{ aud: 5 }", "5", "5")]
    [TestCase("{ aud: 5 }", "[5]", "5")]
    [TestCase("{ aud: [1, 2] }", "2", "[1,2]")]
    [TestCase("{ aud: null }", "[null]", "null")]
    [TestCase("{ aud: 5 }", "/5/", "5")]
    [TestCase("{ aud: 'a' }", "[/b/, /a/]", "\"a\"")]
    [TestCase("{ x: 1 }", "/undefined/", "\"undefined\"")]
    public void Verify_Audience_ComparesStrictlyOrByRegExpTest_AsJsonwebtokenDoes(string payload, string expected, string result)
    {
        var claim = Claim($"return jwt.verify(jwt.sign({payload}, secret), secret, {{ audience: {expected} }}).aud;");

        Assert.That(claim, Is.EqualTo(result));
    }

    // verify.js: the issuer by === (a string) or indexOf (an array), the subject by !==; any other issuer checks nothing.
    [TestCase("{ iss: 5 }", "{ issuer: '5' }", "[\"JsonWebTokenError\",\"jwt issuer invalid. expected: 5\"]")]
    [TestCase("{ iss: 5 }", "{ issuer: ['5'] }", "[\"JsonWebTokenError\",\"jwt issuer invalid. expected: 5\"]")]
    [TestCase("{ iss: 5 }", "{ issuer: [5] }", "5")]
    [TestCase("{ iss: '5' }", "{ issuer: 5 }", "\"5\"")]
    [TestCase("{ sub: 5 }", "{ subject: '5' }", "[\"JsonWebTokenError\",\"jwt subject invalid. expected: 5\"]")]
    [TestCase("{ sub: 'x' }", "{ subject: ['x'] }", "[\"JsonWebTokenError\",\"jwt subject invalid. expected: x\"]")]
    [TestCase("{ sub: '5' }", "{ subject: 5 }", "[\"JsonWebTokenError\",\"jwt subject invalid. expected: 5\"]")]
    [TestCase("{ sub: 5 }", "{ subject: 5 }", "5")]
    public void Verify_IssuerAndSubject_CompareStrictly_AsJsonwebtokenDoes(string payload, string options, string result)
    {
        var claim = Claim($"const p = jwt.verify(jwt.sign({payload}, secret), secret, {options}); return p.iss !== undefined ? p.iss : p.sub;");

        Assert.That(claim, Is.EqualTo(result));
    }

    // sign.js and verify.js make a key object of anything; what is neither text nor binary is not key material.
    [TestCase("jwt.sign({ a: 1 }, 5)", "[\"Error\",\"secretOrPrivateKey is not valid key material\"]")]
    [TestCase("jwt.sign({ a: 1 }, {})", "[\"Error\",\"secretOrPrivateKey is not valid key material\"]")]
    [TestCase("jwt.verify(jwt.sign({ a: 1 }, secret), 5)", "[\"JsonWebTokenError\",\"secretOrPublicKey is not valid key material\"]")]
    public void SignAndVerify_KeyOfAnotherType_IsNotValidKeyMaterial(string call, string result)
    {
        var claim = Claim($"return {call};");

        Assert.That(claim, Is.EqualTo(result));
    }

    /// <summary>Given as undefined, each of these is refused by the options' schema (<see cref="Sign_OptionsOutsideTheSchema_AreRefusedWithItsMessage"/>).</summary>
    [Test]
    public void Sign_ClaimOptions_BecomeTheirClaims()
    {
        var claim = Claim(
            """
            const given = jwt.decode(jwt.sign({ a: 1 }, secret, { audience: ['a', 'b'], issuer: 'i', subject: 's', jwtid: 'j' }));
            return [given.aud, given.iss, given.sub, given.jti];
            """);

        Assert.That(claim, Is.EqualTo("[[\"a\",\"b\"],\"i\",\"s\",\"j\"]"));
    }

    [Test]
    public void Sign_KeyId_IsTheHeadersKidOnlyWhenGiven()
    {
        var claim = Claim("const h = o => jwt.decode(jwt.sign({ a: 1 }, secret, o), { complete: true }).header; return [h({ keyid: 'k1' }).kid, 'kid' in h({}), h({}).typ];");

        Assert.That(claim, Is.EqualTo("[\"k1\",false,\"JWT\"]"));
    }

    [TestCase("configuration.PUBLIC_KEY", "[\"JsonWebTokenError\",\"secretOrPrivateKey must be an asymmetric private key when using RS256\"]")]
    [TestCase("'-----BEGIN PRIVATE KEY-----\\nnot base64\\n-----END PRIVATE KEY-----'", "[\"JsonWebTokenError\",\"the key is not a PEM-encoded RSA key\"]")]
    [TestCase("42", "[\"Error\",\"secretOrPrivateKey is not valid key material\"]")]
    public void Sign_Rs256WithAKeyItCannotSignWith_SaysSoWithoutQuotingTheKey(string key, string expected)
    {
        Assert.That(Claim($"return jwt.sign({{ a: 1 }}, {key}, {{ algorithm: 'RS256' }});"), Is.EqualTo(expected));
    }

    [TestCase(31, "[\"JsonWebTokenError\",\"secretOrPublicKey must be at least 32 bytes for HS256 in rules\"]")]
    [TestCase(32, "1")]
    public void Sign_SecretOfExactlyTheMinimumLength_IsUsed(int length, string expected)
    {
        Assert.That(Claim($"const s = 'k'.repeat({length}); return jwt.verify(jwt.sign({{ a: 1 }}, s), s).a;"), Is.EqualTo(expected));
    }

    // A PEM text is read up to 16 KiB (the key padded with spaces after it, which the PEM reader skips); one character more is refused unread.
    [TestCase(16 * 1024, "1")]
    [TestCase(16 * 1024 + 1, "[\"JsonWebTokenError\",\"secretOrPrivateKey must be a PEM-encoded RSA key for RS256\"]")]
    public void Sign_PemTextUpToItsLengthLimit_IsRead(int length, string expected)
    {
        var claim = Claim($"const key = configuration.PRIVATE_KEY.padEnd({length}); return jwt.decode(jwt.sign({{ a: 1 }}, key, {{ algorithm: 'RS256' }})).a;");

        Assert.That(claim, Is.EqualTo(expected));
    }

    [TestCase("HS384")]
    [TestCase("HS512")]
    public void Sign_SecretShorterThanTheHash_IsRefusedWithoutQuotingIt(string algorithm)
    {
        Assert.That(Claim($"return jwt.sign({{ a: 1 }}, secret, {{ algorithm: '{algorithm}' }});"),
            Is.EqualTo($"[\"Error\",\"the token could not be signed with {algorithm} and this key\"]"));
    }

    [TestCase("jwt.sign({ a: 1 }, secret)", "configuration.PUBLIC_KEY", "{}")]
    [TestCase("jwt.sign({ a: 1 }, configuration.PRIVATE_KEY, { algorithm: 'RS256' })", "secret", "{}")]
    [TestCase("jwt.sign({ a: 1 }, configuration.LONG_SECRET, { algorithm: 'HS512' })", "configuration.LONG_SECRET", "{ algorithms: ['HS256', 'HS384'] }")]
    [TestCase("Unsigned('none')", "secret", "{}")]
    [TestCase("Unsigned('none')", "secret", "{ algorithms: ['none'] }")]
    [TestCase("Unsigned('ES256')", "secret", "{ algorithms: ['ES256'] }")]
    public void Verify_AlgorithmNotExpectedForTheKeyOrNotListed_IsRefused(string token, string key, string options)
    {
        var claim = Claim(
            $$"""
            const Unsigned = alg => Buffer.from(JSON.stringify({ alg })).toString('base64url') + '.' + Buffer.from('{"a":1}').toString('base64url') + '.';
            return jwt.verify({{token}}, {{key}}, {{options}});
            """);

        Assert.That(claim, Is.EqualTo("[\"JsonWebTokenError\",\"invalid algorithm\"]"));
    }

    /// <summary>
    /// The algorithm confusion of CVE-2022-23541: a token MACed with the (public) RSA key as an HMAC secret, verified
    /// with that public key by a rule that lists both kinds of algorithm. jsonwebtoken 9 refuses a PEM key for HS*.
    /// </summary>
    [TestCase("configuration.PUBLIC_KEY")]
    [TestCase("Buffer.from(configuration.PUBLIC_KEY)")]
    public void Verify_HmacTokenWhoseSecretIsThePublicKey_IsRefusedEvenWhenListed(string key)
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64Url("""{"sub":"forged"}""");
        var publicKey = Settings.Configuration["PUBLIC_KEY"];
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(publicKey), Encoding.UTF8.GetBytes($"{header}.{payload}")));

        var claim = Claim($"return jwt.verify('{header}.{payload}.{signature}', {key}, {{ algorithms: ['RS256', 'HS256'] }}).sub;");

        Assert.That(claim, Is.EqualTo("[\"JsonWebTokenError\",\"secretOrPublicKey must be a symmetric key when using HS256\"]"));
    }

    /// <summary>.NET's JWT library needs an HS512 secret of 64 bytes: a token jsonwebtoken would accept with a shorter one fails as an invalid signature.</summary>
    [Test]
    public void Verify_Hs512TokenWithASecretShorterThanTheHash_IsAnInvalidSignature()
    {
        var header = Base64Url("""{"alg":"HS512","typ":"JWT"}""");
        var payload = Base64Url("""{"sub":"hand"}""");
        var signature = Base64Url(HMACSHA512.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{header}.{payload}")));

        Assert.That(Claim($"return jwt.verify('{header}.{payload}.{signature}', secret);"), Is.EqualTo("[\"JsonWebTokenError\",\"invalid signature\"]"));
    }

    [TestCase("configuration.PUBLIC_KEY", "HS256")]
    [TestCase("configuration.PRIVATE_KEY", "HS512")]
    public void Sign_HmacWithAPemKeyAsTheSecret_IsRefused(string key, string algorithm)
    {
        Assert.That(Claim($"return jwt.sign({{ a: 1 }}, {key}, {{ algorithm: '{algorithm}' }});"),
            Is.EqualTo($"[\"JsonWebTokenError\",\"secretOrPrivateKey must be a symmetric key when using {algorithm}\"]"));
    }

    [Test]
    public void Verify_AlgorithmInTheList_IsAccepted()
    {
        var claim = Claim("return jwt.verify(jwt.sign({ a: 1 }, configuration.LONG_SECRET, { algorithm: 'HS512' }), configuration.LONG_SECRET, { algorithms: ['HS256', 'HS512'] }).a;");

        Assert.That(claim, Is.EqualTo("1"));
    }

    [Test]
    public void Verify_Rs256TokenWithAKeyThatIsNoPem_IsRefusedNamingWhatItNeeds()
    {
        var claim = Claim("return jwt.verify(jwt.sign({ a: 1 }, configuration.PRIVATE_KEY, { algorithm: 'RS256' }), 42, { algorithms: ['RS256'] });");

        Assert.That(claim, Is.EqualTo("[\"JsonWebTokenError\",\"secretOrPublicKey is not valid key material\"]"));
    }

    [Test]
    public void Verify_Complete_GivesHeaderPayloadAndTheSignatureAsInTheToken()
    {
        var claim = Claim(
            """
            const t = jwt.sign({ a: 1 }, secret);
            const c = jwt.verify(t, secret, { complete: true });
            const d = jwt.decode(t, { complete: true });
            const plain = jwt.verify(t, secret, { complete: false });
            return [c.header.alg, c.header.typ, c.payload.a, c.signature === t.split('.')[2], d.signature === c.signature, d.payload.a, 'header' in plain, plain.a];
            """);

        Assert.That(claim, Is.EqualTo("[\"HS256\",\"JWT\",1,true,true,1,false,1]"));
    }

    [Test]
    public void Verify_SignedPayloadThatIsNoObject_IsMalformed()
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64Url("[1,2]");
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{header}.{payload}")));

        var claim = Claim($"const t = '{header}.{payload}.{signature}'; return [jwt.decode(t), (() => {{ try {{ return jwt.verify(t, secret); }} catch (e) {{ return e.message; }} }})()];");

        Assert.That(claim, Is.EqualTo("[null,\"jwt malformed\"]"));
    }

    [TestCase("42")]
    [TestCase("undefined")]
    [TestCase("''")]
    [TestCase("'a.b'")]
    public void Verify_TokenThatIsNoJwt_IsMalformed_AndDecodesToNull(string token)
    {
        var claim = Claim($"return [jwt.decode({token}), (() => {{ try {{ return jwt.verify({token}, secret); }} catch (e) {{ return [e.name, e.message]; }} }})()];");

        Assert.That(claim, Is.EqualTo("[null,[\"JsonWebTokenError\",\"jwt malformed\"]]"));
    }

    [Test]
    public void Verify_WithoutArguments_IsMalformed_AndDecodeWithoutArgumentsIsNull()
    {
        Assert.That(Claim("return [jwt.decode(), (() => { try { return jwt.verify(); } catch (e) { return e.message; } })()];"), Is.EqualTo("[null,\"jwt malformed\"]"));
    }

    /// <summary>A token is read only up to twice the binary cap (64 KiB): longer ones are not parsed at all.</summary>
    [TestCase(131_072, "131060")]
    [TestCase(131_073, "null")]
    public void Decode_TokenUpToTwiceTheBinaryCap_IsRead(int length, string expected)
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64Url($$"""{"p":"{{new string('x', 98_000)}}"}""");
        var token = $"{header}.{payload}.{new string('A', length - header.Length - payload.Length - 2)}";

        Assert.That(Claim($"const p = jwt.decode('{token}'); return p && p.p.length + {token.Length - 98_000 - 12};"), Is.EqualTo(expected));
    }

    [Test]
    public void CallbackForm_CallsBackAfterTheCurrentJob_WithNullErrorOrTheJwtError()
    {
        var decision = Some.Decision(Some.Login(), Settings,
            """
            function (user, context, callback) {
              const secret = configuration.SECRET;
              const order = [];
              order.push(typeof jwt.sign({ a: 1 }, secret, (err, token) => {
                order.push(['sign', err, typeof token]);
                jwt.verify(token, secret, { complete: true }, (err, c) => order.push(['verify', err, c.payload.a]));
                jwt.verify('x', secret, {}, (err, p) => order.push(['bad', err.name, err.message, p === undefined]));
                jwt.sign({ a: 1 }, secret, { expiresIn: 'soon' }, (err, t) => order.push(['bad sign', err.message, t === undefined]));
              }));
              order.push('after');
              setTimeout(() => { context.idToken['https://x/order'] = order; callback(null, user, context); }, 1);
            }
            """);

        Assert.That(decision.IdTokenClaims["https://x/order"]!.ToJsonString(Readable), Is.EqualTo(
            "[\"undefined\",\"after\",[\"sign\",null,\"string\"],[\"verify\",null,1],[\"bad\",\"JsonWebTokenError\",\"jwt malformed\",true],"
            + "[\"bad sign\",\"\\\"expiresIn\\\" should be a number of seconds or string representing a timespan eg: \\\"1d\\\", \\\"20h\\\", 60\",true]]"));
    }

    private static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
