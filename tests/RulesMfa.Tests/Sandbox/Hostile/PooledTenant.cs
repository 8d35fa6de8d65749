using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// A tenant whose one rule requires lodash and moment (or, made with <see cref="WithoutModules"/>, no module), so its
/// logins share the engines of its pool. On the attacker's login the rule first runs an attack (strict mode, inside a
/// promise so it may be asynchronous); on every login it then reads a probe expression. The claim says how the attack
/// ended ("done", or the error that stopped it) and what the probe read.
/// </summary>
internal sealed class PooledTenant
{
    private const string Claim = "https://example.com/pooled";

    private PooledTenant(string attack, string probe, bool allowStringCompilation, bool modules = true)
    {
        var source =
            $$"""
            function pooled(user, context, callback) {
              'use strict';
              {{(modules ? "require('lodash'); require('moment');" : "")}}
              const attack = () => { {{attack}} };
              Promise.resolve()
                .then(() => user.email === '{{HostileAttack.AttackerEmail}}' ? Promise.resolve(attack()).then(() => 'done') : 'not run')
                .catch(e => e.name + ': ' + e.message)
                .then(outcome => {
                  let seen;
                  try { seen = String({{probe}}); } catch (e) { seen = e.name + ': ' + e.message; }
                  context.idToken['{{Claim}}'] = [outcome, seen];
                  callback(null, user, context);
                });
            }
            """;
        Pipeline = new RulePipeline([Some.Rule("pooled", source)],
            new RulePipelineSettings
            {
                // About isolation, not speed: a module's first run in a process may be JIT-compiled, and a loaded
                // machine stretches a module's regular expressions past the default 100 ms.
                Limits =
                {
                    RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10), RegexTimeout = TimeSpan.FromSeconds(5),
                    AllowStringCompilation = allowStringCompilation,
                },
            },
            new FixedTimeProvider(Some.Now));
    }

    public RulePipeline Pipeline { get; }

    /// <summary>How many engines the tenant's pool has prepared: one while logins reuse it, more after a discard.</summary>
    public int Prepared => Pipeline.Engines!.Prepared;

    public static PooledTenant With(string attack, string probe, bool allowStringCompilation = false) => new(attack, probe, allowStringCompilation);

    /// <summary>A tenant whose rule reaches no module: its engines' builtins are not frozen, so an attack takes effect in its own login.</summary>
    public static PooledTenant WithoutModules(string attack, string probe) => new(attack, probe, allowStringCompilation: false, modules: false);

    /// <summary>The attacker's login: ["done" or the error that stopped the attack, what the probe read].</summary>
    public string AttackerLogin() => Seen(Pipeline.Evaluate(HostileAttack.AttackerLogin()));

    /// <summary>A normal login of the same tenant: ["not run", what the probe read].</summary>
    public string NextLogin() => Seen(Pipeline.Evaluate(Some.Login()));

    /// <summary>
    /// Logins on <paramref name="threads"/> threads started behind a barrier, <paramref name="loginsPerThread"/> each, every
    /// third an attacker's: whether each was the attacker's, and what it saw.
    /// </summary>
    public (bool Attacker, string Seen)[] ParallelLogins(int threads, int loginsPerThread)
    {
        using var barrier = new Barrier(threads);
        var results = new (bool Attacker, string Seen)[threads * loginsPerThread];
        var workers = Enumerable.Range(0, threads).Select(thread => new Thread(() =>
        {
            barrier.SignalAndWait();
            for (var login = 0; login < loginsPerThread; login++)
            {
                var attacker = (thread + login) % 3 == 0;
                results[thread * loginsPerThread + login] = (attacker, attacker ? AttackerLogin() : NextLogin());
            }
        })).ToList();
        workers.ForEach(worker => worker.Start());
        workers.ForEach(worker => worker.Join());
        return results;
    }

    /// <summary>
    /// The attacker's login, then two normal logins: the attacker's sees <paramref name="attackerSees"/> (the attack
    /// took effect, or the error that stopped it), both later ones see <paramref name="pristine"/>, and the pool
    /// prepared <paramref name="prepared"/> engines for the three (1: one engine served them; 2: the attacker's was
    /// discarded and the next one served both later logins).
    /// </summary>
    public void AssertContained(string attackerSees, string pristine, int prepared)
    {
        var attacker = AttackerLogin();
        var next = NextLogin();
        var later = NextLogin();

        Assert.Multiple(() =>
        {
            Assert.That(attacker, Is.EqualTo(attackerSees), "the attacker's own login");
            Assert.That(next, Is.EqualTo($"not run | {pristine}"), "the next login of the tenant");
            Assert.That(later, Is.EqualTo(next), "the login after it");
            Assert.That(Prepared, Is.EqualTo(prepared), prepared == 1 ? "one engine served the three logins" : "the attacker's engine was discarded");
        });
    }

    private static string Seen(MfaDecision decision) => decision.IdTokenClaims[Claim] is JsonArray seen
        ? $"{seen[0]} | {seen[1]}"
        : $"no claim: {decision.Error?.Description} {string.Join("; ", decision.Logs.Select(log => log.Message))}";
}
