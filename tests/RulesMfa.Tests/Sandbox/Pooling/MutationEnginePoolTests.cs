using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Sandbox.Hostile;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Pooling;

/// <summary>
/// Issue 19 (mutation testing of Pooling/ and LoginSandbox): when a pooled engine is kept for the next login and when
/// it is discarded. A login whose rule faulted (a limit, no callback, a promise that never settles) may have left the
/// engine half-changed, so its engine is never reused; a rule's own deny or error is an ordinary ending and keeps it.
/// Each case shows how the attacker's login ended, then that the next login is decided normally on the engine the
/// pool's <c>Prepared</c> count says.
/// </summary>
public sealed class MutationEnginePoolTests
{
    private const string Claim = "https://example.com/pooled";

    private const string NormalEnding = $"context.idToken['{Claim}'] = 'normal'; callback(null, user, context);";

    [TestCase("while (true) {}", RuleStatus.Limit, "Rule 'pooled' executed more than 1,000 statements.")]
    [TestCase("return;", RuleStatus.Timeout, "Rule 'pooled' never called its callback.")]
    [TestCase("throw new RangeError('Maximum call stack size exceeded');", RuleStatus.Limit,
        "Rule 'pooled' nested calls deeper than 256 or the stack allows.")]
    public void LoginWhoseRuleFaulted_HasItsEngineDiscarded(string attack, RuleStatus status, string description)
    {
        var pipeline = Rule(attack);

        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var next = pipeline.Evaluate(Some.Login());
        var later = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(attacker.Rules.Single().Status, Is.EqualTo(status));
            Assert.That(attacker.Logs.Last().Message, Is.EqualTo(description));
            Assert.That(new[] { next, later }.Select(decision => decision.IdTokenClaims[Claim]?.ToString()), Is.All.EqualTo("normal"));
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(2), "the attacker's engine was discarded; the next one served both later logins");
        });
    }

    [Test]
    public void LoginWhoseActionNeverSettled_HasItsEngineDiscarded()
    {
        var pipeline = new RulePipeline([Some.Rule("pooled",
            $$"""
            exports.onExecutePostLogin = async (event, api) => {
              if (event.user.email === '{{HostileAttack.AttackerEmail}}') { return new Promise(() => {}); }
              api.idToken.setCustomClaim('{{Claim}}', 'normal');
            };
            """)], Settings(), new FixedTimeProvider(Some.Now));

        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var next = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(attacker.Rules.Single().Status, Is.EqualTo(RuleStatus.Timeout));
            Assert.That(attacker.Logs.Last().Message, Is.EqualTo("Action 'pooled' returned a promise that never settled."));
            Assert.That(next.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("normal"));
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(2), "the attacker's engine was discarded");
        });
    }

    [TestCase("throw new Error('bad');", RuleStatus.Error, "uncaught bad (at 2:54)")]
    [TestCase("return callback(new UnauthorizedError('no'));", RuleStatus.Denied, null)]
    [TestCase("return Promise.reject(new Error('rejected'));", RuleStatus.Error, "rejected: rejected")]
    public void LoginWhoseRuleDeniedOrThrew_KeepsItsEngine(string attack, RuleStatus status, string? log)
    {
        var pipeline = Rule(attack);

        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var next = pipeline.Evaluate(Some.Login());
        var again = pipeline.Evaluate(HostileAttack.AttackerLogin());

        Assert.Multiple(() =>
        {
            Assert.That(attacker.Rules.Single().Status, Is.EqualTo(status));
            Assert.That(attacker.Logs.Select(entry => entry.Message).FirstOrDefault(), Is.EqualTo(log));
            Assert.That(again.Rules.Single().Status, Is.EqualTo(status), "the same ending on the reused engine");
            Assert.That(next.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("normal"));
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(1), "one engine served the three logins");
        });
    }

    /// <summary>
    /// Preparing an engine (loading lodash and moment, freezing the realm) runs our code, which is not held to the
    /// rule's statement limit; the rule itself is, on the first engine and on the one prepared after a discard.
    /// </summary>
    [Test]
    public void PreparationOfModules_IsNotHeldToTheRulesStatementLimit_ButTheRuleIs()
    {
        var pipeline = Rule("require('lodash'); while (true) {}", "require('lodash'); require('moment');");

        var first = pipeline.Evaluate(Some.Login());
        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var again = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var next = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(first.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("normal"), "the engine loaded the modules");
            Assert.That(new[] { attacker, again }.Select(decision => decision.Logs.Last().Message),
                Is.All.EqualTo("Rule 'pooled' executed more than 1,000 statements."), "on the first engine and on its successor");
            Assert.That(next.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("normal"));
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(3));
        });
    }

    /// <summary>
    /// An engine half-way to retirement gets one successor prepared ahead, not one per login until it retires: 150
    /// logins of about 1 MB each retire two or three engines of 64 MiB.
    /// </summary>
    [Test]
    public void EngineNearRetirement_GetsOneSuccessorPreparedAhead_NotOnePerLogin()
    {
        var pipeline = Some.Pipeline(new RulePipelineSettings(), """
            function (user, context, callback) {
              const chunks = [];
              for (let i = 0; i < 8; i++) chunks.push('x'.repeat(1 << 16) + i);
              callback(null, user, context);
            }
            """);
        var pool = pipeline.Engines!;

        for (var login = 0; login < 150; login++)
        {
            pipeline.Evaluate(Some.Login());
            pool.Successor.Wait();
        }

        Assert.Multiple(() =>
        {
            Assert.That(pool.Prepared, Is.InRange(2, 5), "one engine, and one successor per retirement");
            Assert.That(pool.PreparedAhead, Is.EqualTo(pool.Prepared));
        });
    }

    /// <summary>
    /// A module required by a computed name is learned, so the next engines load (and freeze) it when prepared and
    /// the logins requiring it keep their engine; the rules choose the names, so at most 16 are learned: with 17, one
    /// is loaded during every login, and every login's engine is discarded.
    /// </summary>
    [TestCase(16, 2)]
    [TestCase(17, 3)]
    public void ModulesRequiredByComputedNames_AreLearnedUpTo16(int count, int prepared)
    {
        // lodash methods none of which requires another of them (a name loaded first as another's dependency is not learned).
        string[] names = ["add", "ceil", "floor", "round", "chunk", "compact", "head", "last", "nth", "tail", "take", "drop", "fill", "reverse", "zip", "times", "range"];
        var pipeline = new RulePipeline([Some.Rule("pooled",
            $$"""
            function pooled(user, context, callback) {
              require('lodash');
              const loaded = {{System.Text.Json.JsonSerializer.Serialize(names.Take(count))}}.map(name => typeof require(['lodash', name].join('/')));
              context.idToken['{{Claim}}'] = loaded.filter(type => type === 'function').length;
              callback(null, user, context);
            }
            """)],
            // About which engines are kept, not time: loading 17 modules on a loaded machine can take seconds.
            new RulePipelineSettings { Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) } },
            new FixedTimeProvider(Some.Now));

        var decisions = Enumerable.Range(0, 3).Select(_ => pipeline.Evaluate(Some.Login())).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(decision => decision.IdTokenClaims[Claim]?.GetValue<int>()), Is.All.EqualTo(count));
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(prepared),
                count == 16 ? "the second engine loaded all 16 when prepared and served the third login" : "every login loaded the 17th and discarded its engine");
        });
    }

    /// <summary>A rule set naming a module that is not available still gets its engines prepared; the rule that reaches the require gets the error.</summary>
    [Test]
    public void RuleSetNamingAnUnavailableModule_IsPrepared_AndTheRequireFailsInTheRule()
    {
        var pipeline = Rule("require('not-a-module');");

        var next = pipeline.Evaluate(Some.Login());
        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());

        Assert.Multiple(() =>
        {
            Assert.That(next.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("normal"));
            Assert.That(attacker.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(attacker.Error!.Description, Is.EqualTo("module 'not-a-module' is not available in rules"));
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(1));
        });
    }

    /// <summary>
    /// The <c>Symbol.for</c> registry can be neither frozen nor emptied, so a login that registers a symbol has its
    /// engine discarded, whether the rule set's builtins are frozen (it requires modules) or recorded (it does not).
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void SymbolRegisteredByOneLogin_HasItsEngineDiscarded_FrozenOrNot(bool modules)
    {
        const string Attack = "globalThis.registered = Symbol.keyFor(Symbol.for(user.email));";
        var tenant = modules ? PooledTenant.With(Attack, "globalThis.registered") : PooledTenant.WithoutModules(Attack, "globalThis.registered");

        tenant.AssertContained("done | mallory@example.com", "undefined", prepared: 2);
    }

    /// <summary>
    /// A rule set that requires modules only by computed names (none known before its first login) still gets its
    /// builtins frozen on its first engine: a change to <c>Object.prototype</c> is refused in the attacker's own login
    /// rather than taking effect there.
    /// </summary>
    [Test]
    public void RuleSetRequiringOnlyByComputedName_HasItsBuiltinsFrozenOnTheFirstEngine()
    {
        var pipeline = Rule(
            """
            let outcome = 'done';
            try { (() => { 'use strict'; Object.prototype.leak = user.email; })(); } catch (e) { outcome = e.name + ': ' + e.message; }
            context.idToken['https://example.com/attack'] = outcome + ' | ' + ({}).leak;
            """,
            "if (user.email === 'nobody') { require(['lo', 'dash'].join('')); }");

        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var next = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(attacker.IdTokenClaims["https://example.com/attack"]?.ToString(),
                Is.EqualTo("TypeError: Cannot assign to read only property 'leak' of Object | undefined"));
            Assert.That(next.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("normal"));
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(1), "the refused change left the engine as prepared");
        });
    }

    private static RulePipelineSettings Settings() => new() { Limits = { MaxStatements = 1_000 } };

    /// <summary>A pooled tenant whose rule runs <paramref name="attack"/> for the attacker and ends normally for everyone else.</summary>
    private static RulePipeline Rule(string attack, string prelude = "") => new([Some.Rule("pooled",
        $$"""
        function pooled(user, context, callback) {
          {{prelude}} if (user.email === '{{HostileAttack.AttackerEmail}}') { {{attack}} }
          {{NormalEnding}}
        }
        """)], Settings(), new FixedTimeProvider(Some.Now));
}
