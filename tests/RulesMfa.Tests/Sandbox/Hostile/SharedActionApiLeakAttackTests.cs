using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Issue 17: a pooled engine makes each Action's <c>api</c> once, when it is prepared, and every login of the engine is
/// handed the same objects and functions. A change to any of them is recorded like a change to the Action's own
/// function: it takes effect in the attacker's login, and the attacker's engine is discarded, on engines with and
/// without frozen builtins; what one login's <c>api.access.deny</c> recorded is not the next login's.
/// </summary>
[Category("Hostile")]
public sealed class SharedActionApiLeakAttackTests
{
    private const string Claim = "https://example.com/pooled";

    [TestCase("api.leak = event.user.email;", "api.leak", "mallory@example.com", "undefined")]
    [TestCase("api.multifactor.leak = event.user.email;", "api.multifactor.leak", "mallory@example.com", "undefined")]
    [TestCase("api.user = { leak: event.user.email };", "api.user.leak", "mallory@example.com", "undefined")]
    [TestCase("delete api.accessToken;", "typeof api.accessToken", "undefined", "object")]
    [TestCase("Object.defineProperty(api.access.deny, 'name', { value: event.user.email });", "api.access.deny.name", "mallory@example.com", "deny")]
    [TestCase("Object.setPrototypeOf(api.redirect, { leak: event.user.email });", "api.redirect.leak", "mallory@example.com", "undefined")]
    [TestCase("Object.preventExtensions(api.authentication);", "Object.isExtensible(api.authentication)", "false", "true")]
    public void ApiChangedByOneLogin_IsPristineForTheNext(string attack, string probe, string attackerSees, string pristine)
    {
        var runs = new[] { false, true }.Select(modules =>
        {
            var pipeline = Tenant(attack, probe, modules);
            var attacker = Seen(pipeline.Evaluate(HostileAttack.AttackerLogin()));
            var next = Seen(pipeline.Evaluate(Some.Login()));
            var later = Seen(pipeline.Evaluate(Some.Login()));
            return (Modules: modules, Attacker: attacker, Next: next, Later: later, pipeline.Engines!.Prepared);
        }).ToList();

        Assert.Multiple(() =>
        {
            foreach (var run in runs)
            {
                Assert.That(run.Attacker, Is.EqualTo($"done | {attackerSees}"), $"the attacker's own login (modules: {run.Modules})");
                Assert.That(run.Next, Is.EqualTo($"not run | {pristine}"), $"the next login of the tenant (modules: {run.Modules})");
                Assert.That(run.Later, Is.EqualTo(run.Next), $"the login after it (modules: {run.Modules})");
                Assert.That(run.Prepared, Is.EqualTo(2), $"the attacker's engine was discarded (modules: {run.Modules})");
            }
        });
    }

    /// <summary>The reused <c>api</c> starts each login with nothing denied: one login's deny stops that login only.</summary>
    [Test]
    public void ReusedApi_DenialBelongsToItsLogin()
    {
        var pipeline = new RulePipeline([Some.Rule("deny-mallory",
            $$"""
            exports.onExecutePostLogin = async (event, api) => {
              if (event.user.email === '{{HostileAttack.AttackerEmail}}') {
                api.access.deny('not you');
              }
            };
            """)], null, new FixedTimeProvider(Some.Now));

        var attacker = pipeline.Evaluate(HostileAttack.AttackerLogin());
        var next = pipeline.Evaluate(Some.Login());
        var later = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(attacker.Outcome, Is.EqualTo(DecisionOutcome.Deny), "the denying login");
            Assert.That(attacker.Error?.Description, Is.EqualTo("not you"));
            Assert.That(next.Outcome, Is.EqualTo(DecisionOutcome.Allow), "the next login on the same engine");
            Assert.That(later.Outcome, Is.EqualTo(DecisionOutcome.Allow), "the login after it");
            Assert.That(pipeline.Engines!.Prepared, Is.EqualTo(1), "one engine served the three logins (a deny is not a fault)");
        });
    }

    /// <summary>Two Actions of one login get two <c>api</c> objects: what the first puts on its own, the second does not see.</summary>
    [Test]
    public void TwoActions_EachGetsItsOwnApi()
    {
        var pipeline = new RulePipeline(
        [
            Some.Rule("first", "exports.onExecutePostLogin = async (event, api) => { api.note = event.user.email; };"),
            Some.Rule("second", $"exports.onExecutePostLogin = async (event, api) => {{ api.idToken.setCustomClaim('{Claim}', String(api.note)); }};"),
        ], null, new FixedTimeProvider(Some.Now));

        var decision = pipeline.Evaluate(Some.Login());

        Assert.That(decision.IdTokenClaims[Claim]?.GetValue<string>(), Is.EqualTo("undefined"));
    }

    /// <summary>
    /// One Action: on the attacker's login it runs the attack first (strict mode); on every login it then reads the
    /// probe and sets it as a claim through the <c>setCustomClaim</c> it read before any attack.
    /// </summary>
    private static RulePipeline Tenant(string attack, string probe, bool modules) => new(
        [Some.Rule("pooled",
            $$"""
            exports.onExecutePostLogin = async (event, api) => {
              'use strict';
              {{(modules ? "require('lodash');" : "")}}
              const setClaim = api.idToken.setCustomClaim;
              let outcome = 'not run';
              if (event.user.email === '{{HostileAttack.AttackerEmail}}') {
                try { {{attack}} outcome = 'done'; } catch (e) { outcome = e.name + ': ' + e.message; }
              }
              let seen;
              try { seen = String({{probe}}); } catch (e) { seen = e.name + ': ' + e.message; }
              setClaim('{{Claim}}', [outcome, seen]);
            };
            """)],
        new RulePipelineSettings
        {
            // About isolation, not speed: a module's first run in a process may be JIT-compiled on a loaded machine.
            Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10), RegexTimeout = TimeSpan.FromSeconds(5) },
        },
        new FixedTimeProvider(Some.Now));

    private static string Seen(MfaDecision decision) => decision.IdTokenClaims[Claim] is JsonArray seen
        ? $"{seen[0]} | {seen[1]}"
        : $"no claim: {decision.Error?.Description} {string.Join("; ", decision.Logs.Select(log => log.Message))}";
}
