using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>LoginGlobals</c>, <c>SandboxEngineFactory</c> and <c>RuleClock</c>): the globals
/// a rule must not have are gone, every console method writes at its level one line as Node would, the metadata
/// updaters refuse what they must with their own message, and the engine is set up as Auth0's runtime is (sloppy mode,
/// no string compilation unless allowed, UTC).
/// </summary>
public sealed class MutationLoginGlobalsTests
{
    private const string Claim = "https://x/seen";

    [Test]
    public void RemovedGlobals_AreAllUndefined()
    {
        const string Names = "['SharedArrayBuffer', 'Atomics', 'ShadowRealm', 'WeakRef', 'FinalizationRegistry', 'ArrayBuffer', 'DataView', "
            + "'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', "
            + "'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'BigInt']";

        var seen = Claimed($"{Names}.filter(name => globalThis[name] !== undefined).join()");

        Assert.That(seen, Is.EqualTo(""));
    }

    [Test]
    public void ConsoleMethods_LogAtTheirLevels()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { console.log('a'); console.info('b'); console.debug('c'); console.warn('d'); console.error('e'); callback(null, user, context); }");

        Assert.That(decision.Logs.Select(log => $"{log.Level} {log.Message}"), Is.EqualTo(new[] { "info a", "info b", "debug c", "warn d", "error e" }));
    }

    [TestCase("Symbol('s')", "Symbol(s)")]
    [TestCase("function named() { return 1; }", "function named() { [native code] }")]
    [TestCase("(() => { const cycle = {}; cycle.self = cycle; return cycle; })()", "[object]")]
    [TestCase("{ toJSON: () => undefined }", "undefined")]
    [TestCase("['a', { b: null }]", """["a",{"b":null}]""")]
    [TestCase("{ long: 'x'.repeat(200) }", "[object longer than 101 characters]")]
    [TestCase("'one', 2, true, null, undefined", "one 2 true null undefined")]
    public void ConsoleLine_IsWrittenAsNodeWouldUpToItsLength(string arguments, string line)
    {
        var decision = Some.Decision(Some.Login(), new RulePipelineSettings { Limits = { MaxLogMessageLength = 100 } },
            $"function (user, context, callback) {{ console.log({arguments}); callback(null, user, context); }}");

        Assert.That(decision.Logs.Single().Message, Is.EqualTo(line));
    }

    [Test]
    public void ConsoleLine_OfManyArguments_IsCutAtItsLength()
    {
        var decision = Some.Decision(Some.Login(), new RulePipelineSettings { Limits = { MaxLogMessageLength = 100 } },
            "function (user, context, callback) { console.log('x'.repeat(60), 'y'.repeat(60), 'z'); callback(null, user, context); }");

        Assert.That(decision.Logs.Single().Message, Does.StartWith("x".PadRight(60, 'x') + " " + new string('y', 39)));
    }

    [TestCase("auth0.users.updateUserMetadata(user.user_id, { lang: 'nl' })", "done", "{}", """{"lang":"nl"}""")]
    [TestCase("auth0.users.updateAppMetadata('auth0|someone-else', { plan: 'pro' })",
        "Error: auth0.users.updateAppMetadata can only update the user who is logging in", "{}", "{}")]
    [TestCase("auth0.users.updateUserMetadata(user.user_id, 'not an object')",
        "TypeError: auth0.users.updateUserMetadata takes the metadata as an object", "{}", "{}")]
    [TestCase("auth0.users.updateAppMetadata(user.user_id)", "TypeError: auth0.users.updateAppMetadata takes the metadata as an object", "{}", "{}")]
    [TestCase("auth0.users.updateAppMetadata()", "Error: auth0.users.updateAppMetadata can only update the user who is logging in", "{}", "{}")]
    public void MetadataUpdate_IsAPatchOfTheLoggingInUserOnly(string update, string outcome, string appMetadata, string userMetadata)
    {
        var decision = Some.Decision(
            $$"""
            function (user, context, callback) {
              {{update}}.then(() => 'done', e => e.name + ': ' + e.message)
                .then(seen => { context.idToken['{{Claim}}'] = seen; callback(null, user, context); });
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims[Claim]?.ToString(), Is.EqualTo(outcome));
            Assert.That(decision.AppMetadata.ToJsonString(), Is.EqualTo(appMetadata));
            Assert.That(decision.UserMetadata.ToJsonString(), Is.EqualTo(userMetadata));
        });
    }

    [Test]
    public void MetadataUpdate_OfALoginWithoutAUserId_IsRefused()
    {
        var decision = Some.Decision(Some.Login(user: """{"user_id": null}"""),
            $$"""
            function (user, context, callback) {
              auth0.users.updateAppMetadata('', { plan: 'pro' }).then(() => 'done', e => e.message)
                .then(seen => { context.idToken['{{Claim}}'] = seen; callback(null, user, context); });
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("auth0.users.updateAppMetadata can only update the user who is logging in"));
            Assert.That(decision.AppMetadata.ToJsonString(), Is.EqualTo("{}"));
        });
    }

    [Test]
    public void Rules_RunInSloppyMode_AsAuth0sDo()
    {
        Assert.That(Claimed("(function () { undeclared = 'assigned'; return [undeclared, typeof this].join(); })()"), Is.EqualTo("assigned,object"));
    }

    [TestCase(false, "TypeError: String compilation has been disabled in engine options")]
    [TestCase(true, "2")]
    public void StringCompilation_IsRefusedUnlessAllowed(bool allowed, string seen)
    {
        var settings = new RulePipelineSettings { Limits = { AllowStringCompilation = allowed } };

        Assert.That(Claimed("(() => { try { return String(eval('1 + 1')); } catch (e) { return e.name + ': ' + e.message; } })()", settings), Is.EqualTo(seen));
    }

    [Test]
    public void Dates_AreInUtcOnTheCallersClock()
    {
        var seen = Claimed("[Date.now(), new Date(2020, 0, 1).getTimezoneOffset(), Date.parse('2020-01-01T00:00:00'), new Date(2020, 0, 1, 12).toString()].join(' | ')");

        Assert.That(seen, Is.EqualTo($"{Some.Now.ToUnixTimeMilliseconds()} | 0 | 1577836800000 | Wed Jan 01 2020 12:00:00 GMT+0000 (Coordinated Universal Time)"));
    }

    private static string? Claimed(string expression, RulePipelineSettings? settings = null) =>
        Some.Decision(Some.Login(), settings ?? new RulePipelineSettings(),
            $"function (user, context, callback) {{ context.idToken['{Claim}'] = {expression}; callback(null, user, context); }}")
            .IdTokenClaims[Claim]?.ToString();
}
