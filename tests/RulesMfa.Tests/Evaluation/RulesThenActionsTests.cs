using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>Rules run before Actions; where they disagree the later one wins.</summary>
public sealed class RulesThenActionsTests
{
    private const string RuleAsksForMfa = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: true }; callback(null, user, context); }";
    private const string ActionSkipsMfa = "exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('none'); };";

    [Test]
    public void Evaluate_ActionListedFirst_StillRunsAfterTheRules()
    {
        var decision = Some.Decision(ActionSkipsMfa, RuleAsksForMfa);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Select(rule => rule.Id), Is.EqualTo(new[] { "r2", "r1" }));
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Allow), "the Action ran later, so its 'none' wins");
        });
    }

    [Test]
    public void Evaluate_ActionChallenge_ReplacesTheRulesProviderRequest()
    {
        var decision = Some.Decision(RuleAsksForMfa, "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: 'webauthn-roaming' }); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Multifactor, Is.Null);
            Assert.That(decision.Factors, Is.EqualTo(new[] { "webauthn-roaming" }));
            Assert.That(decision.AllowRememberBrowser, Is.Null);
        });
    }

    [Test]
    public void Evaluate_LaterActionCall_WinsOverEarlierOne()
    {
        var decision = Some.Decision(
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: 'otp' }); };",
            "exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('guardian', { allowRememberBrowser: true }); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Factors, Is.Empty);
            Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"guardian","allowRememberBrowser":true}"""));
        });
    }

    [Test]
    public void Evaluate_ActionsSeeMetadataSavedByRules()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { auth0.users.updateAppMetadata(user.user_id, { known_countries: ['NL'] }).then(() => callback(null, user, context)); }",
            "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://x/c', event.user.app_metadata.known_countries); };");

        Assert.That(decision.IdTokenClaims["https://x/c"]!.ToJsonString(), Is.EqualTo("""["NL"]"""));
    }

    [Test]
    public void Evaluate_RuleClaimsAndActionClaims_AreMerged()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { context.idToken['https://x/a'] = 1; context.idToken['https://x/b'] = 1; callback(null, user, context); }",
            "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://x/b', 2); };");

        Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://x/a":1,"https://x/b":2}"""));
    }

    [Test]
    public void Evaluate_RuleDenies_ActionsAreSkipped()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { callback(new UnauthorizedError('blocked')); }",
            "exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('any'); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("unauthorized", "blocked")));
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.EqualTo(new[] { RuleStatus.Denied, RuleStatus.Skipped }));
        });
    }

    [Test]
    public void Evaluate_NoRules_Allows()
    {
        var decision = Some.Decision();

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Allow));
            Assert.That(decision.Rules, Is.Empty);
        });
    }
}
