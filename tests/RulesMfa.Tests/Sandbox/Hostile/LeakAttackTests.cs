using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Rules that change shared-looking state (prototypes, builtins, the global object) to reach the next login or
/// another tenant. Each change must take effect in the polluter's own login and nowhere else.
/// </summary>
[Category("Hostile")]
public sealed class LeakAttackTests
{
    private const string PollutesEverything =
        """
        Object.prototype.polluted = configuration.SECRET;
        Array.prototype.includes = () => true;
        JSON.parse = () => ({ a: configuration.SECRET });
        Math.random = () => 0.5;
        global.stash = configuration.SECRET;
        """;

    [Test]
    public void ObjectPrototype_ChangedByOneLogin_IsPristineForTheNextAndAnotherTenant()
    {
        var attack = HostileAttack.Rule(
            "Object.prototype.polluted = configuration.SECRET; Object.defineProperty(Object.prototype, 'hidden', { value: configuration.SECRET });");

        AssertPollutedItsOwnLoginOnly(attack);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ArrayPrototype_ChangedByOneLogin_IsPristineForTheNextAndAnotherTenant()
    {
        var attack = HostileAttack.Rule("Array.prototype.includes = () => true; Array.prototype.map = function () { return [configuration.SECRET]; };");

        AssertPollutedItsOwnLoginOnly(attack);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void Json_ChangedByOneLogin_IsPristineForTheNextAndAnotherTenant()
    {
        var attack = HostileAttack.Rule("JSON.parse = () => ({ a: configuration.SECRET }); JSON.stringify = () => configuration.SECRET;");

        AssertPollutedItsOwnLoginOnly(attack);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void Math_ChangedByOneLogin_IsPristineForTheNextAndAnotherTenant()
    {
        var attack = HostileAttack.Rule("Math.random = () => 0.5; Math.max = () => configuration.SECRET; Object.freeze(Math);");

        AssertPollutedItsOwnLoginOnly(attack);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ConfigurationStashedInGlobals_NeverReachesAnotherTenant()
    {
        var attack = HostileAttack.Rule(
            """
            global.stash = configuration.SECRET; globalThis.leaked = configuration;
            Error.prototype.stash = configuration.SECRET; UnauthorizedError.prototype.stash = configuration.SECRET;
            console.stash = configuration.SECRET; auth0.stash = configuration.SECRET; auth0.users.stash = configuration.SECRET;
            """);
        var spy = new RulePipeline(
            [Some.Rule("spy", """
                function spy(user, context, callback) {
                  context.idToken['https://example.com/seen'] = [typeof global.stash, typeof globalThis.leaked, typeof new Error('e').stash,
                    typeof new UnauthorizedError('e').stash, typeof console.stash, typeof auth0.stash, typeof auth0.users.stash,
                    typeof configuration.SECRET, Object.keys(configuration).join()];
                  callback(null, user, context);
                }
                """)],
            new RulePipelineSettings { Configuration = HostileAttack.AcmeConfiguration },
            new FixedTimeProvider(Some.Now));

        var seen = spy.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(attack.Trace.Status, Is.EqualTo(RuleStatus.Ok), "the stashing itself is allowed");
            Assert.That(seen.IdTokenClaims["https://example.com/seen"]!.ToJsonString(), Is.EqualTo(
                """["undefined","undefined","undefined","undefined","undefined","undefined","undefined","undefined","TENANT"]"""));
            Assert.That(MfaDecisionJson.Serialize(seen), Does.Not.Contain(HostileAttack.MalloryConfiguration["SECRET"]));
        });
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void PollutionConcurrentWithTwoTenantsLogins_StaysInThePollutersLogin()
    {
        var attack = HostileAttack.Rule(PollutesEverything, limits => HostileAttack.GenerousTime(limits));
        var logins = Enumerable.Range(0, 300).Select(index => (index % 3) switch
        {
            0 => (Tenant: "mallory", Login: HostileAttack.AttackerLogin(), Polluted: true),
            1 => (Tenant: "mallory", Login: Some.Login(), Polluted: false),
            _ => (Tenant: "acme", Login: Some.Login(), Polluted: false),
        }).ToArray();

        var decisions = new MfaDecision[logins.Length];
        Parallel.For(0, logins.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, index =>
            decisions[index] = logins[index].Tenant == "mallory"
                ? attack.Pipeline.Evaluate(logins[index].Login)
                : HostileAttack.OtherTenantDecision(logins[index].Login));

        // The polluter's own later rules see its changes (the claims say not pristine); nobody else does.
        var expected = logins.Select(login => Summary(DecisionOutcome.Mfa, login.Tenant, pristine: !login.Polluted));
        Assert.That(decisions.Select(decision => Summary(decision.Outcome, ClaimTenant(decision), Pristine(decision))), Is.EqualTo(expected));
    }

    /// <summary>The pollution took effect for the polluter's own later rules: the rule ran, the login went on, and the builtins were changed.</summary>
    private static void AssertPollutedItsOwnLoginOnly(HostileAttack attack)
    {
        Assert.Multiple(() =>
        {
            Assert.That(attack.Trace.Status, Is.EqualTo(RuleStatus.Ok));
            Assert.That(attack.Decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(attack.Decision.IdTokenClaims[HostileAttack.RuleClaim]!.ToJsonString(), Is.EqualTo("""["mallory",false]"""),
                "the polluter's own login saw the change (else this test proves nothing)");
        });
    }

    private static string Summary(DecisionOutcome outcome, string? tenant, bool pristine) => $"{outcome} {tenant} pristine={pristine}";

    private static string? ClaimTenant(MfaDecision decision) => decision.IdTokenClaims[HostileAttack.RuleClaim]?[0]?.GetValue<string>();

    private static bool Pristine(MfaDecision decision) =>
        decision.IdTokenClaims[HostileAttack.RuleClaim]?[1]?.GetValue<bool>() == true
        && decision.IdTokenClaims[HostileAttack.ActionClaim]?[1]?.GetValue<bool>() == true;
}
