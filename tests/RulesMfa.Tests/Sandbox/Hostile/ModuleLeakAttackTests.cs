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

    [TestCase("const _ = require('lodash'); _.polluted = configuration.SECRET; _.mixin({ leak: () => configuration.SECRET }); _.get = () => configuration.SECRET;")]
    [TestCase("const ipaddr = require('ipaddr.js'); ipaddr.polluted = configuration.SECRET; ipaddr.parse = () => ({ kind: () => configuration.SECRET });")]
    [TestCase("Object.prototype.polluted = configuration.SECRET; Array.prototype.includes = () => true; Object.defineProperty(Object.prototype, 'x', { value: 1 });")]
    [TestCase("global.stash = configuration.SECRET; globalThis.Buffer = null; Object.defineProperty(global, 'pinned', { value: 1, configurable: false });")]
    [TestCase("require('moment').defineLocale('evil', { months: [] }); require('moment').locale('evil');")]
    [TestCase("require('lodash').prototype.leak = () => configuration.SECRET; Object.setPrototypeOf(require('lodash'), null);")]
    public void ModuleOrBuiltinChangedByOneLogin_IsPristineForTheNextLoginAndAnotherTenant(string attack)
    {
        var mallory = Tenant("mallory", HostileAttack.EvilRule($"try {{ {attack} }} catch (e) {{ }}"), Observer);
        var acme = Tenant("acme", Observer);
        acme.Evaluate(Some.Login());

        var attacked = HostileAttack.Record(mallory.Evaluate(HostileAttack.AttackerLogin()));
        var next = Enumerable.Range(0, 3).Select(_ => mallory.Evaluate(Some.Login())).ToList();
        var other = acme.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(attacked.Rules.Select(rule => rule.Status), Is.All.EqualTo(RuleStatus.Ok), "the attack ran to its end");
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
