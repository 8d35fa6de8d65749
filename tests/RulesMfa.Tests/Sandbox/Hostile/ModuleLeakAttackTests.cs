using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Rule sets that require modules run on engines reused across their logins, with the modules loaded once. A rule
/// that changes a module's exports, lodash's mixins, the builtins or the globals must not reach the next login of
/// its tenant (the same reused engine) nor another tenant.
/// </summary>
[Category("Hostile")]
public sealed class ModuleLeakAttackTests
{
    private const string Claim = "https://example.com/seen";

    private const string AttackClaim = "https://example.com/attack";

    private const string Frozen = "TypeError: Cannot assign to read only property";

    /// <summary>A rule that reads, with operators only, whether the modules, builtins and globals are as loaded.</summary>
    private const string Observer =
        $$"""
        function observer(user, context, callback) {
          const _ = require('lodash'); const ipaddr = require('ipaddr.js'); const moment = require('moment');
          context.idToken['{{Claim}}'] = [configuration.TENANT,
            typeof _.polluted, typeof _.leak, _.get({ a: 1 }, 'a') === 1, typeof _.prototype.leak,
            ipaddr.parse('10.0.0.1').kind() === 'ipv4', typeof ipaddr.polluted, moment.locale(),
            ({}).polluted === undefined, [3].includes(3) && ![3].includes(4), typeof global.stash, typeof globalThis.Buffer];
          callback(null, user, context);
        }
        """;

    private const string Pristine = """["TENANT","undefined","undefined",true,"undefined",true,"undefined","en",true,true,"undefined","function"]""";

    private static RulePipeline Tenant(string tenant, params string[] sources) => new(
        sources.Select((source, index) => Some.Rule($"r{index + 1}", source)),
        new RulePipelineSettings
        {
            Configuration = new Dictionary<string, string> { ["TENANT"] = tenant, ["SECRET"] = tenant + "-secret" },
            // About isolation, not speed: a module's first run in a process may be JIT-compiled.
            Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) },
        },
        new FixedTimeProvider(Some.Now));

    private static string Seen(MfaDecision decision) =>
        decision.IdTokenClaims[Claim]?.ToJsonString() ?? $"no claim: {decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}";

    /// <summary>
    /// Each attack step runs in strict mode and says how it ended ("done", or the error that stopped it), so that a
    /// step refused by the freeze and a step that took effect and was undone after the login are told apart; the
    /// observer in the attacker's own login then shows what took effect there. The modules' exports and the builtins
    /// are frozen (lodash's <c>mixin</c> assigns in sloppy mode, so it ends without effect); the global object and
    /// moment's global locale cannot be: their changes take effect in the login and are undone (or the engine
    /// discarded) after it.
    /// </summary>
    [TestCase(new[] { "require('lodash').polluted = configuration.SECRET", "require('lodash').mixin({ leak: () => configuration.SECRET })", "require('lodash').get = () => configuration.SECRET" },
        $"{Frozen} 'polluted' of Object | done | {Frozen} 'get' of Object", Pristine)]
    [TestCase(new[] { "require('ipaddr.js').polluted = configuration.SECRET", "require('ipaddr.js').parse = () => ({ kind: () => configuration.SECRET })" },
        $"{Frozen} 'polluted' of Object | {Frozen} 'parse' of Object", Pristine)]
    [TestCase(new[] { "Object.prototype.polluted = configuration.SECRET", "Array.prototype.includes = () => true", "Object.defineProperty(Object.prototype, 'x', { value: 1 })" },
        $"{Frozen} 'polluted' of Object | {Frozen} 'includes' of Object | TypeError: Cannot redefine property: x", Pristine)]
    [TestCase(new[] { "global.stash = configuration.SECRET", "globalThis.Buffer = null", "Object.defineProperty(global, 'pinned', { value: 1, configurable: false })" },
        "done | done | done", """["TENANT","undefined","undefined",true,"undefined",true,"undefined","en",true,true,"string","object"]""")]
    [TestCase(new[] { "require('moment').defineLocale('evil', { months: [] })", "require('moment').locale('evil')" },
        "done | done", """["TENANT","undefined","undefined",true,"undefined",true,"undefined","evil",true,true,"undefined","function"]""")]
    [TestCase(new[] { "require('lodash').prototype.leak = () => configuration.SECRET", "Object.setPrototypeOf(require('lodash'), null)" },
        $"{Frozen} 'leak' of Object | TypeError: #<Object> is not extensible", Pristine)]
    public void ModuleOrBuiltinChangedByOneLogin_IsPristineForTheNextLoginAndAnotherTenant(string[] steps, string outcomes, string attackerSees)
    {
        var attack = string.Join(", ", steps.Select(step => $"(() => {{ 'use strict'; try {{ {step}; return 'done'; }} catch (e) {{ return e.name + ': ' + e.message; }} }})()"));
        var mallory = Tenant("mallory", HostileAttack.EvilRule($"context.idToken['{AttackClaim}'] = [{attack}];"), Observer);
        var acme = Tenant("acme", Observer);
        acme.Evaluate(Some.Login());

        var attacked = HostileAttack.Record(mallory.Evaluate(HostileAttack.AttackerLogin()));
        var next = Enumerable.Range(0, 3).Select(_ => mallory.Evaluate(Some.Login())).ToList();
        var other = acme.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(" | ", attacked.IdTokenClaims[AttackClaim]!.AsArray().Select(outcome => outcome!.GetValue<string>())),
                Is.EqualTo(outcomes), "how each step of the attack ended");
            Assert.That(Seen(attacked), Is.EqualTo(attackerSees.Replace("TENANT", "mallory")), "what the attacker's own login saw after it");
            Assert.That(next.Select(Seen), Is.All.EqualTo(Pristine.Replace("TENANT", "mallory")), "the attacker tenant's next logins");
            Assert.That(Seen(other), Is.EqualTo(Pristine.Replace("TENANT", "acme")), "another tenant's login");
            Assert.That(next.Concat([other]).Select(decision => MfaDecisionJson.Serialize(decision)), Has.None.Contain("mallory-secret"));
        });
    }

    [Test]
    public void RuleSetRequiringModules_ReusesItsEngineAcrossLogins()
    {
        var tenant = Tenant("acme", Observer);

        var decisions = Enumerable.Range(0, 5).Select(_ => tenant.Evaluate(Some.Login())).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(decisions.Select(Seen), Is.All.EqualTo(Pristine.Replace("TENANT", "acme")));
            Assert.That(tenant.Engines!.Prepared, Is.EqualTo(1), "one engine loaded the modules; the logins reused it");
        });
    }

    [Test]
    public void LoginThatChangesAModulesHiddenState_HasItsEngineDiscarded()
    {
        var tenant = Tenant("acme", HostileAttack.EvilRule("require('moment').locale('en');"), Observer);

        HostileAttack.Record(tenant.Evaluate(HostileAttack.AttackerLogin()));
        tenant.Evaluate(Some.Login());

        Assert.That(tenant.Engines!.Prepared, Is.EqualTo(2), "the engine moment.locale was called on was not reused");
    }

    [Test]
    public void ConfigurationOfOneLogin_IsNotSeenThroughAReusedEnginesGlobals()
    {
        var tenant = Tenant("acme", HostileAttack.EvilRule("global.keep = configuration; global.keepConsole = console;"),
            """
            function (user, context, callback) {
              require('lodash');
              context.idToken['https://example.com/seen'] = [typeof global.keep, typeof global.keepConsole, configuration === global.keep];
              callback(null, user, context);
            }
            """);

        HostileAttack.Record(tenant.Evaluate(HostileAttack.AttackerLogin()));
        var next = tenant.Evaluate(Some.Login());

        Assert.That(Seen(next), Is.EqualTo("""["undefined","undefined",false]"""));
    }
}
