using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>Auth0 legacy Rules: the callback contract, carrying user and context forward, errors.</summary>
public sealed class RulesFormTests
{
    [Test]
    public void Evaluate_ChangesToUserAndContext_CarryForwardToTheNextRule()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { user.level = 2; context.seen = ['r1']; callback(null, user, context); }",
            "function (user, context, callback) { context.idToken['https://x/level'] = user.level; context.idToken['https://x/seen'] = context.seen; callback(null, user, context); }");

        Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://x/level":2,"https://x/seen":["r1"]}"""));
    }

    [Test]
    public void Evaluate_CallbackWithNewObjects_ReplacesUserAndContext()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { callback(null, { user_id: 'replaced' }, { idToken: {}, tag: 'new' }); }",
            "function (user, context, callback) { context.idToken['https://x/who'] = user.user_id + '/' + context.tag; callback(null, user, context); }");

        Assert.That(decision.IdTokenClaims["https://x/who"]!.GetValue<string>(), Is.EqualTo("replaced/new"));
    }

    [Test]
    public void Evaluate_CallbackWithoutUserOrContext_KeepsThePreviousOnes()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { user.kept = true; callback(null); }",
            "function (user, context, callback) { context.idToken['https://x/kept'] = user.kept === true && context.clientID === 'client-web'; callback(null, user, context); }");

        Assert.That(decision.IdTokenClaims["https://x/kept"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public void Evaluate_CallbackWithNonObjectUser_KeepsThePreviousUserAndLogs()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { callback(null, 'oops', context); }",
            "function (user, context, callback) { context.idToken['https://x/id'] = user.user_id; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims["https://x/id"]!.GetValue<string>(), Is.EqualTo("auth0|64f1c0ffee"));
            Assert.That(decision.Logs.Single().Message, Does.Contain("user argument is not an object"));
        });
    }

    [Test]
    public void Evaluate_CallbackCalledTwice_OnlyTheFirstCountsAndTheSecondIsLogged()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { callback(null, user, context); callback(new Error('late deny')); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Allow));
            Assert.That(decision.Logs.Single(), Is.EqualTo(new RuleLogEntry("r1", "warn", "callback was called more than once; only the first call counts")));
        });
    }

    [Test]
    public void Evaluate_CallbackWithError_DeniesWithAccessDeniedAndStopsThePipeline()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { auth0.users.updateAppMetadata(user.user_id, { flagged: true }).then(() => callback(new Error('Blocked network'))); }",
            "function (user, context, callback) { context.multifactor = true; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Blocked network")));
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.EqualTo(new[] { RuleStatus.Denied, RuleStatus.Skipped }));
            Assert.That(decision.AppMetadata.ToJsonString(), Is.EqualTo("""{"flagged":true}"""), "patches before a deny are kept");
        });
    }

    [Test]
    public void Evaluate_CallbackWithUnauthorizedError_DeniesWithUnauthorized()
    {
        var decision = Some.Decision("function (user, context, callback) { callback(new UnauthorizedError('Verify your email first.')); }");

        Assert.That(decision.Error, Is.EqualTo(new DecisionError("unauthorized", "Verify your email first.")));
    }

    [Test]
    public void Evaluate_CallbackWithString_DeniesWithTheStringAsDescription()
    {
        var decision = Some.Decision("function (user, context, callback) { callback('no way'); }");

        Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "no way")));
    }

    [Test]
    public void Evaluate_RuleThrows_DeniesWithStatusErrorAndLogsWhere()
    {
        var decision = Some.Decision("function (user, context, callback) {\n  const roles = user.app_metadata.missing.roles;\n  callback(null, user, context);\n}");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error!.Code, Is.EqualTo("access_denied"));
            Assert.That(decision.Error.Description, Does.Contain("roles"));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(decision.Logs.Single().Message, Does.EndWith("(at 2:43)"), "points at the property that could not be read");
        });
    }

    [Test]
    public void Evaluate_RuleThrowsUnauthorizedError_DeniesWithUnauthorized()
    {
        var decision = Some.Decision("function (user, context, callback) { throw new UnauthorizedError('nope'); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("unauthorized", "nope")));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
        });
    }

    [Test]
    public void Evaluate_AsyncRuleRejects_DeniesWithStatusError()
    {
        var decision = Some.Decision("async function (user, context, callback) { await null; throw new Error('backend down'); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "backend down")));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
        });
    }

    [Test]
    public void Evaluate_CallbackCalledFromPromiseChain_Continues()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { Promise.resolve(1).then(v => v + 1).then(() => { context.multifactor = { provider: 'any' }; callback(null, user, context); }); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Ok));
        });
    }

    [Test]
    public void Evaluate_CallbackNeverCalled_IsATimeoutAndFailsClosed()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { context.multifactor = { provider: 'none' }; }",
            "function (user, context, callback) { callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' never called its callback."));
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.EqualTo(new[] { RuleStatus.Timeout, RuleStatus.Skipped }));
        });
    }

    [Test]
    public void Evaluate_ArrowRuleWithOtherParameterNames_Runs()
    {
        var decision = Some.Decision("(u, ctx, done) => { ctx.multifactor = true; done(null, u, ctx); }");

        Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"any"}"""));
    }

    [Test]
    public void Evaluate_Trace_NamesEachRuleWithItsKindHashAndDuration()
    {
        var decision = Some.Decision("function mfaForAdmins(user, context, callback) { callback(null, user, context); }");

        var trace = decision.Rules.Single();
        Assert.Multiple(() =>
        {
            Assert.That(trace.Id, Is.EqualTo("r1"));
            Assert.That(trace.Name, Is.EqualTo("mfaForAdmins"));
            Assert.That(trace.VersionHash, Does.Match("^sha256:[0-9a-f]{64}$"));
            Assert.That(trace.DurationMs, Is.GreaterThanOrEqualTo(0));
            Assert.That(trace.Limit, Is.Null);
        });
    }
}
