using System.Security.Cryptography;
using System.Text;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>The <c>jwt</c> global: jsonwebtoken's sign, verify and decode on .NET's JWT library, at the rule's clock.</summary>
public sealed class JwtTests
{
    private const string Secret = "a-shared-secret-of-at-least-32-bytes!";

    private static readonly RulePipelineSettings Settings = new()
    {
        Configuration = KeyPair(),
        Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) },
    };

    private static Dictionary<string, string> KeyPair()
    {
        using var rsa = RSA.Create(2048);
        return new Dictionary<string, string>
        {
            ["SECRET"] = Secret,
            ["PRIVATE_KEY"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["PUBLIC_KEY"] = rsa.ExportSubjectPublicKeyInfoPem(),
        };
    }

    private static string Claim(string body)
    {
        var decision = Some.Decision(Some.Login(), Settings,
            $$"""
            function (user, context, callback) {
              const result = (() => { try { {{body}} } catch (e) { return [e.name, e.message]; } })();
              context.idToken['https://x/v'] = result;
              callback(null, user, context);
            }
            """);
        Assert.That(decision.Error, Is.Null, () => $"{decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/v"]!.ToJsonString();
    }

    [Test]
    public void SignThenVerify_Hs256_ReturnsThePayloadWithIatAtTheRulesClock()
    {
        var claim = Claim("const t = jwt.sign({ sub: user.user_id }, configuration.SECRET, { expiresIn: '1h', audience: 'api' }); const p = jwt.verify(t, configuration.SECRET, { audience: 'api' }); return [p.sub, p.iat, p.exp - p.iat, p.aud];");

        Assert.That(claim, Is.EqualTo($"[\"auth0|64f1c0ffee\",{Some.Now.ToUnixTimeSeconds()},3600,\"api\"]"));
    }

    [Test]
    public void Verify_TokenSignedByHandWithHmacSha256_IsAccepted()
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64Url("""{"sub":"hand","iat":1}""");
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{header}.{payload}")));

        var claim = Claim($"return jwt.verify('{header}.{payload}.{signature}', configuration.SECRET).sub;");

        Assert.That(claim, Is.EqualTo("\"hand\""));
    }

    [TestCase("jwt.verify(jwt.sign({ a: 1 }, configuration.SECRET), configuration.SECRET + 'x')", "[\"JsonWebTokenError\",\"invalid signature\"]")]
    [TestCase("jwt.verify(jwt.sign({ a: 1, iat: Math.floor(Date.now() / 1000) - 7200 }, configuration.SECRET, { expiresIn: 3600 }), configuration.SECRET)", "[\"TokenExpiredError\",\"jwt expired\"]")]
    [TestCase("jwt.verify(jwt.sign({ a: 1 }, configuration.SECRET, { notBefore: '1d' }), configuration.SECRET)", "[\"NotBeforeError\",\"jwt not active\"]")]
    [TestCase("jwt.verify(jwt.sign({ a: 1 }, configuration.SECRET, { audience: 'x' }), configuration.SECRET, { audience: 'y' })", "[\"JsonWebTokenError\",\"jwt audience invalid. expected: y\"]")]
    [TestCase("jwt.verify(jwt.sign({ a: 1 }, configuration.SECRET, { issuer: 'a' }), configuration.SECRET, { issuer: 'b' })", "[\"JsonWebTokenError\",\"jwt issuer invalid. expected: b\"]")]
    [TestCase("jwt.verify('not.a.token', configuration.SECRET)", "[\"JsonWebTokenError\",\"jwt malformed\"]")]
    [TestCase("jwt.verify(jwt.sign({ a: 1 }, configuration.SECRET), configuration.SECRET, { algorithms: ['RS256'] })", "[\"JsonWebTokenError\",\"invalid algorithm\"]")]
    [TestCase("jwt.sign({ a: 1 }, 'short')", "[\"JsonWebTokenError\",\"secretOrPublicKey must be at least 32 bytes for HS256 in rules\"]")]
    public void Verify_BadToken_ThrowsJsonWebTokensError(string call, string expected)
    {
        Assert.That(Claim($"return {call};"), Is.EqualTo(expected));
    }

    [Test]
    public void SignThenVerify_Rs256_WithPemKeys()
    {
        var claim = Claim("const t = jwt.sign({ sub: 'rs' }, configuration.PRIVATE_KEY, { algorithm: 'RS256', keyid: 'k1' }); const c = jwt.verify(t, configuration.PUBLIC_KEY, { complete: true }); return [c.payload.sub, c.header.alg, c.header.kid];");

        Assert.That(claim, Is.EqualTo("[\"rs\",\"RS256\",\"k1\"]"));
    }

    [Test]
    public void Decode_WithoutVerifying_ReturnsThePayloadOrNull()
    {
        var claim = Claim("return [jwt.decode(jwt.sign({ n: 2 }, configuration.SECRET)).n, jwt.decode('garbage'), jwt.decode(jwt.sign({ n: 2 }, configuration.SECRET), { complete: true }).header.typ];");

        Assert.That(claim, Is.EqualTo("[2,null,\"JWT\"]"));
    }

    [Test]
    public void Verify_CallbackForm_CallsBackWithErrorAndPayload()
    {
        var decision = Some.Decision(Some.Login(), Settings,
            """
            function (user, context, callback) {
              jwt.verify(jwt.sign({ ok: true }, configuration.SECRET), configuration.SECRET, (err, payload) => {
                if (err) { return callback(err); }
                context.idToken['https://x/ok'] = payload.ok;
                callback(null, user, context);
              });
            }
            """);

        Assert.That(decision.IdTokenClaims["https://x/ok"]!.GetValue<bool>(), Is.True);
    }

    private static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
