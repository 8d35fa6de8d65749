using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Finding 4 of issue 11, beyond the module cache: every other place where one login's data could stay in a reused
/// engine for the next login of the tenant. Each case first shows what the attack did in the attacker's own login
/// (it took effect, or the error that stopped it), then that the next logins, on the same engine or on a fresh one
/// as the pool's <c>Prepared</c> count says, see the engine as prepared.
/// </summary>
[Category("Hostile")]
public sealed class PooledEngineLeakAttackTests
{
    private const string Frozen = "TypeError: Cannot assign to read only property";

    /// <summary>Objects no global property holds, reached through values: the realm's hidden intrinsics and the prototypes modules keep in their closures.</summary>
    [TestCase("Object.getPrototypeOf([][Symbol.iterator]()).leak = user.email;", "[][Symbol.iterator]().leak")]
    [TestCase("Object.getPrototypeOf(''[Symbol.iterator]()).leak = user.email;", "''[Symbol.iterator]().leak")]
    [TestCase("Object.getPrototypeOf(new Map().keys()).leak = user.email;", "new Map().keys().leak")]
    [TestCase("Object.getPrototypeOf(new Set().keys()).leak = user.email;", "new Set().keys().leak")]
    [TestCase("Object.getPrototypeOf('a'.matchAll(/a/g)).leak = user.email;", "'a'.matchAll(/a/g).leak")]
    [TestCase("Object.getPrototypeOf([1].values().map(x => x)).leak = user.email;", "[1].values().map(x => x).leak")]
    [TestCase("Object.getPrototypeOf(async function () {}).leak = user.email;", "Object.getPrototypeOf(async function () {}).leak")]
    [TestCase("Object.getPrototypeOf(async function* () {}).prototype.leak = user.email;", "(async function* () {})().leak")]
    [TestCase("Object.getPrototypeOf(Buffer.alloc(1).buffer).leak = user.email;", "Buffer.alloc(1).buffer.leak")]
    [TestCase("Object.getPrototypeOf(require('lodash')([1])).leak = user.email;", "require('lodash')([1]).leak")]
    [TestCase("Object.getPrototypeOf(require('lodash')([1, 2]).map(x => x).__wrapped__).leak = user.email;", "require('lodash')([1, 2]).map(x => x).__wrapped__.leak")]
    [TestCase("Object.getPrototypeOf(require('lodash').memoize(x => x).cache.__data__.hash).leak = user.email;", "require('lodash').memoize(x => x).cache.__data__.hash.leak")]
    [TestCase("let stack; require('lodash').isEqualWith({ a: 1 }, { a: 1 }, function () { stack = stack || arguments[5]; }); Object.getPrototypeOf(stack.__data__).leak = user.email;",
        "(() => { let stack; require('lodash').isEqualWith({ a: 1 }, { a: 1 }, function () { stack = stack || arguments[5]; }); return stack.__data__.leak; })()")]
    [TestCase("Object.getPrototypeOf(require('moment').localeData()).leak = user.email;", "require('moment').localeData().leak")]
    public void HiddenSharedObject_IsFrozenBeforeAnyLogin(string attack, string probe)
    {
        PooledTenant.With(attack, probe).AssertContained($"{Frozen} 'leak' of Object | undefined", "undefined", prepared: 1);
    }

    /// <summary>Hooks and state Node keeps on its builtins (stack-trace hooks, the clock, the random source) and <c>__proto__</c> tricks.</summary>
    [TestCase("Error.prepareStackTrace = () => user.email;", "typeof Error.prepareStackTrace", "'prepareStackTrace' of Object", "undefined")]
    [TestCase("Error.captureStackTrace = () => user.email;", "typeof Error.captureStackTrace", "'captureStackTrace' of Object", "undefined")]
    [TestCase("Math.random = () => 0.5;", "Math.random() !== 0.5", "'random' of Object", "true")]
    [TestCase("Date.now = () => 0;", "Date.now()", "'now' of Object", "1795602600000")]
    [TestCase("({}).__proto__.leak = user.email;", "({}).leak", "'leak' of Object", "undefined")]
    [TestCase("require('lodash').templateSettings.interpolate.lastIndex = 7;", "require('lodash').templateSettings.interpolate.lastIndex", "'lastIndex' of Object", "0")]
    public void BuiltinHook_IsFrozenBeforeAnyLogin(string attack, string probe, string property, string pristine)
    {
        PooledTenant.With(attack, probe).AssertContained($"{Frozen} {property} | {pristine}", pristine, prepared: 1);
    }

    [Test]
    public void PrototypeOfAModulesExports_CannotBeReplaced()
    {
        PooledTenant.With("require('lodash').__proto__ = { leak: user.email };", "require('lodash').leak").AssertContained("TypeError: Invalid prototype | undefined", "undefined", prepared: 1);
    }

    /// <summary>
    /// <c>RegExp.prototype.compile</c> rewrote a frozen regular expression before throwing on its <c>lastIndex</c>, so
    /// lodash's template delimiters became the attacker's pattern for every later login.
    /// </summary>
    [Test]
    public void CompileOnAModulesFrozenRegExp_IsRefusedBeforeItChangesIt()
    {
        var tenant = PooledTenant.With("require('lodash').templateSettings.escape.compile(user.email);", "require('lodash').templateSettings.escape.source");

        tenant.AssertContained("TypeError: Cannot recompile a frozen regular expression | <%-([\\s\\S]+?)%>", "<%-([\\s\\S]+?)%>", prepared: 1);
    }

    /// <summary><c>RegExp.$1</c>, <c>input</c>, <c>lastMatch</c>... hold the last subject matched: an ordinary rule testing the user's email left it for the next login.</summary>
    [Test]
    public void RegExpStatics_OfOneLogin_AreEmptyForTheNext()
    {
        var tenant = PooledTenant.With("/(\\w+)@/.exec(user.email);",
            "JSON.stringify([RegExp.$1, RegExp.input, RegExp.lastMatch, RegExp.leftContext, RegExp.rightContext, RegExp.lastParen])");

        tenant.AssertContained("""done | ["mallory","mallory@example.com","mallory@","","example.com","mallory"]""", """["","","","","",""]""", prepared: 1);
    }

    /// <summary>
    /// Issue 17: on an engine whose builtins are frozen, <c>console</c>, <c>auth0</c> and the rule's own function are
    /// built once and left unfrozen (Auth0 lets rules change them): watched, so a change takes effect in its login and
    /// the engine is discarded.
    /// </summary>
    [TestCase("console.leak = user.email;", "console.leak", "undefined")]
    [TestCase("console.log = () => user.email;", "console.log()", "undefined")]
    [TestCase("auth0.users.leak = user.email;", "auth0.users.leak", "undefined")]
    [TestCase("pooled.leak = user.email;", "pooled.leak", "undefined")]
    [TestCase("pooled.prototype.leak = user.email;", "pooled.prototype.leak", "undefined")]
    public void SharedGlobalOrRuleFunctionChangedByOneLogin_IsPristineForTheNext(string attack, string probe, string pristine)
    {
        PooledTenant.With(attack, probe).AssertContained("done | mallory@example.com", pristine, prepared: 2);
    }

    /// <summary>
    /// A rule that queued promise jobs and then threw (or whose timer did) left
    /// the jobs in the engine's queue: nothing drained it, and the engine was kept (a thrown error is a denial, not a
    /// fault), so the next login's drain ran the attacker's job in that login: it wrote the attacker's email into the
    /// next login's logs and, on an engine whose builtins are not frozen, put a setter for <c>multifactor</c> on
    /// <c>Object.prototype</c> before the next login's rule asked for MFA in a <c>then</c>, so that login was allowed
    /// without MFA. The jobs are now forgotten when the rule ends, and the engine is discarded.
    /// </summary>
    [TestCase(true, "throw new Error('boom');", "Deny")]
    [TestCase(false, "throw new Error('boom');", "Deny")]
    [TestCase(false, "setTimeout(() => { queue(); throw new Error('boom'); });", "Deny")]
    public void PromiseJobLeftQueuedByALogin_NeverRunsInTheNextLogin(bool modules, string end, string attackerOutcome)
    {
        var source = $$"""
            function pooled(user, context, callback) {
              {{(modules ? "require('lodash');" : "")}}
              if (user.email === '{{HostileAttack.AttackerEmail}}') {
                const queue = () => Promise.resolve().then(() => {
                  console.log('left by ' + user.email);
                  try { Object.defineProperty(Object.prototype, 'multifactor', { set() {}, get() { return undefined; }, configurable: true }); } catch (e) { }
                });
                {{(end.StartsWith("setTimeout") ? "" : "queue();")}}
                {{end}}
                return;
              }
              Promise.resolve().then(() => { context.multifactor = { provider: 'any' }; callback(null, user, context); });
            }
            """;
        var pipeline = new RulePipeline([Some.Rule("pooled", source)], new RulePipelineSettings(), new FixedTimeProvider(Some.Now));

        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var next = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(attacker.Outcome.ToString(), Is.EqualTo(attackerOutcome), "the attacker's own login");
            Assert.That(next.Logs.Select(log => log.Message), Has.None.Contains(HostileAttack.AttackerEmail), "the attacker's job never ran in the next login");
            Assert.That(next.Outcome, Is.EqualTo(DecisionOutcome.Mfa), "the next login's rule asked for MFA");
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(2), "the engine the jobs were left in was discarded");
        });
    }

    /// <summary>Changes to the global object: put back after the login when they can be, else the engine is discarded.</summary>
    [TestCase("Object.defineProperty(globalThis, 'JSON', { get: () => user.email, configurable: true });", "typeof JSON === 'string' ? JSON : typeof JSON", "object", 1)]
    [TestCase("globalThis[Symbol.toStringTag] = user.email;", "globalThis[Symbol.toStringTag]", "undefined", 1)]
    [TestCase("Object.setPrototypeOf(globalThis, { leak: user.email });", "typeof leak === 'undefined' ? 'none' : leak", "none", 2)]
    [TestCase("globalThis.__proto__ = { leak: user.email };", "typeof leak === 'undefined' ? 'none' : leak", "none", 2)]
    [TestCase("Object.defineProperty(globalThis, 'pinned', { get: () => user.email });", "typeof pinned === 'undefined' ? 'none' : pinned", "none", 2)]
    public void GlobalObjectChangedByOneLogin_IsPristineForTheNext(string attack, string probe, string pristine, int prepared)
    {
        PooledTenant.With(attack, probe).AssertContained("done | mallory@example.com", pristine, prepared);
    }

    /// <summary>
    /// moment's global locale is held by every moment (<c>moment()._locale</c>) and filled lazily by moment itself,
    /// so it cannot be frozen: a login that changes it has its engine discarded.
    /// </summary>
    [TestCase("require('moment').localeData()._config.leak = user.email;", "require('moment').localeData()._config.leak", "done | mallory@example.com", "undefined")]
    [TestCase("require('moment')()._locale._months = ['Stolen'];", "require('moment')([2020, 0, 1]).format('MMMM')", "done | Stolen", "January")]
    [TestCase("Object.freeze(require('moment').localeData()._longDateFormat);", "Object.isFrozen(require('moment').localeData()._longDateFormat)", "done | true", "false")]
    public void MomentsGlobalLocaleChangedByOneLogin_IsPristineForTheNext(string attack, string probe, string attackerSees, string pristine)
    {
        PooledTenant.With(attack, probe).AssertContained(attackerSees, pristine, prepared: 2);
    }

    /// <summary>moment's own lazy caches on the global locale are filled when the engine is prepared, so formatting and parsing keep the engine.</summary>
    [Test]
    public void MomentFormattingAndParsing_KeepsItsEngine()
    {
        var tenant = PooledTenant.With("",
            """
            [[[2020, 0, 1]], ['March 3 2021', 'MMMM D YYYY'], ['Sep 9 2022', 'MMM D YYYY', true], ['Tuesday 2023-01-03', 'dddd YYYY-MM-DD'], ['We', 'dd']]
              .map(input => require('moment').apply(null, input).format('dddd l ll lll llll N y')).join(' | ')
            """);

        var logins = Enumerable.Range(0, 3).Select(_ => tenant.NextLogin()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(logins[0], Does.StartWith("not run | Wednesday 1/1/2020 Jan 1, 2020 Jan 1, 2020 12:00 AM Wed, Jan 1, 2020 12:00 AM AD 2020 | Wednesday 3/3/2021"));
            Assert.That(logins, Is.All.EqualTo(logins[0]));
            Assert.That(tenant.Prepared, Is.EqualTo(1));
        });
    }

    /// <summary>The <c>Symbol.for</c> registry cannot be emptied: symbols one login registers would stay in the engine's memory for all later logins.</summary>
    [Test]
    public void SymbolRegisteredByOneLogin_HasItsEngineDiscarded()
    {
        PooledTenant.With("globalThis.registered = Symbol.keyFor(Symbol.for(user.email));", "globalThis.registered")
            .AssertContained("done | mallory@example.com", "undefined", prepared: 2);
    }

    /// <summary>
    /// State no check can see still cannot grow without bound: lodash keeps up to 500 parsed property paths in a
    /// closure, of any length, so a tenant's logins could leave gigabytes in its reused engines. An engine whose
    /// logins allocated 64 MiB in all is retired, taking whatever they left with it; light logins keep their engine.
    /// </summary>
    [Test]
    public void LoginsFillingAModulesHiddenCache_RetireTheirEngine()
    {
        var tenant = PooledTenant.With(
            "const path = 'a.' + 'x'.repeat(1 << 17) + String(Math.random()).slice(2); globalThis.found = require('lodash').get({ a: { [path.slice(2)]: 'found' } }, path);",
            "globalThis.found");

        var light = Enumerable.Range(0, 50).Select(_ => tenant.NextLogin()).ToList();
        var lightPrepared = tenant.Prepared;
        var heavy = Enumerable.Range(0, 100).Select(_ => tenant.AttackerLogin()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(light, Is.All.EqualTo("not run | undefined"));
            Assert.That(lightPrepared, Is.EqualTo(1), "fifty light logins kept one engine");
            Assert.That(heavy, Is.All.EqualTo("done | found"), "each attacker login cached a new path of 131,000 characters (over 1 MB allocated)");
            Assert.That(tenant.Prepared, Is.GreaterThanOrEqualTo(2), "the engine was retired once its logins had allocated 64 MiB (after about 50 of them)");
        });
    }

    /// <summary>
    /// A timer set after the rule's timers ran (by a getter the engine calls when it reads the rule's claims) is
    /// forgotten with the rule: it never fires in the next login on the same engine, which reads the global the timer
    /// would write from a later timer of its own.
    /// </summary>
    [Test]
    public void TimerSetAfterTheRuleRan_NeverFiresInTheNextLogin()
    {
        var pipeline = new RulePipeline([Some.Rule("timers",
            $$"""
            function (user, context, callback) {
              require('lodash');
              if (user.email === '{{HostileAttack.AttackerEmail}}') {
                Object.defineProperty(context.idToken, 'https://example.com/late', { enumerable: true, get() {
                  setTimeout(() => { globalThis.late = user.email; }, 1);
                  return 'timer set';
                } });
                return callback(null, user, context);
              }
              setTimeout(() => { context.idToken['https://example.com/late'] = String(globalThis.late); callback(null, user, context); }, 2);
            }
            """)], new RulePipelineSettings(), new FixedTimeProvider(Some.Now));

        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var next = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(attacker.IdTokenClaims["https://example.com/late"]?.ToString(), Is.EqualTo("timer set"), "the getter ran and set its timer");
            Assert.That(next.IdTokenClaims["https://example.com/late"]?.ToString(), Is.EqualTo("undefined"), "the attacker's timer never fired");
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(1));
        });
    }

    /// <summary>With string compilation enabled, a <c>var</c> declared by indirect <c>eval</c> is a property of the global object: removed after the login.</summary>
    [Test]
    public void GlobalDeclaredByEval_IsRemovedAfterTheLogin()
    {
        var tenant = PooledTenant.With("(0, eval)('var leaked = \"' + user.email + '\"; function leakedFunction() {}');",
            "(0, eval)('typeof leaked === \"undefined\" ? typeof leakedFunction : leaked + \" \" + typeof leakedFunction')", allowStringCompilation: true);

        tenant.AssertContained("done | mallory@example.com function", "undefined", prepared: 1);
    }

    /// <summary>
    /// Attackers and normal users of one tenant log in at once (started behind a barrier) on the tenant's pooled
    /// engines. The attacks take effect in each attacker's own login; no normal login ever sees one.
    /// </summary>
    [Test]
    public void ParallelLoginsOfOneTenant_NeverSeeAnAttackersChanges()
    {
        const int Threads = 6;
        const int LoginsPerThread = 8;
        var tenant = PooledTenant.With(
            """
            [
              () => { require(['lodash', 'get'].join('/')).lastUser = user.email; },
              () => { /(\w+)@/.exec(user.email); },
              () => { globalThis.stash = user.email; },
              () => { Object.getPrototypeOf([][Symbol.iterator]()).leak = user.email; },
              () => { require('moment')()._locale._config.leak = user.email; },
            ].forEach(change => { try { change(); } catch (e) { } });
            """,
            """
            JSON.stringify([require(['lodash', 'get'].join('/')).lastUser, RegExp.input, globalThis.stash, [][Symbol.iterator]().leak, require('moment').localeData()._config.leak]
              .map(value => String(value).includes('mallory')))
            """);
        var results = tenant.ParallelLogins(Threads, LoginsPerThread);

        Assert.Multiple(() =>
        {
            Assert.That(results.Where(result => !result.Attacker).Select(result => result.Seen).Distinct().ToList(), Is.EqualTo(new[] { "not run | [false,false,false,false,false]" }),
                string.Join("\n", results.Select(result => result.Seen).Distinct()));
            Assert.That(results.Where(result => result.Attacker).Select(result => result.Seen),
                Is.All.Contains(",true,true,false,true]").And.All.StartWith("done | "), "each attacker's own login saw its changes, but for the frozen iterator");
            Assert.That(tenant.Prepared, Is.LessThan(results.Length), "engines were reused between the logins");
        });
    }
}
