using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 17: after a rule, <c>context.multifactor</c> is converted again only when it no longer reads as the request
/// already held (<c>PlainJson.WouldConvertTo</c>), and a request is measured against the output limit once. A rule that
/// changes the object an earlier rule set, in place, between rules that leave it alone, must still be read afresh: its
/// change is the decision.
/// </summary>
public sealed class MultifactorReadTests
{
    private const string AsksForMfa =
        "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: true }; callback(null, user, context); }";

    private const string LeavesIt = "function (user, context, callback) { callback(null, user, context); }";

    [TestCase("context.multifactor.allowRememberBrowser = false;", """{"provider":"any","allowRememberBrowser":false}""")]
    [TestCase("context.multifactor.provider = 'guardian';", """{"provider":"guardian","allowRememberBrowser":true}""")]
    [TestCase("context.multifactor.note = 'added';", """{"provider":"any","allowRememberBrowser":true,"note":"added"}""")]
    [TestCase("delete context.multifactor.allowRememberBrowser;", """{"provider":"any"}""")]
    [TestCase("Object.defineProperty(context.multifactor, 'allowRememberBrowser', { enumerable: false });", """{"provider":"any"}""")]
    [TestCase("Object.defineProperty(context.multifactor, 'provider', { get: () => 'duo', enumerable: true });", """{"provider":"duo","allowRememberBrowser":true}""")]
    [TestCase("Object.setPrototypeOf(context.multifactor, { toJSON: () => ({ provider: 'duo' }) });", """{"provider":"duo"}""")]
    [TestCase("Object.prototype.toJSON = function () { return { provider: 'duo' }; };", """{"provider":"duo"}""")]
    public void ARequestChangedInPlaceByALaterRule_IsReadAfresh(string change, string expected)
    {
        var decision = Some.Decision(AsksForMfa, LeavesIt, $"function (user, context, callback) {{ {change} callback(null, user, context); }}", LeavesIt);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo(expected));
        });
    }

    [Test]
    public void ARequestGrownInPlacePastTheOutputLimit_IsCutBackToItsProvider()
    {
        var decision = Some.Decision(AsksForMfa, LeavesIt,
            "function (user, context, callback) { context.multifactor.note = 'x'.repeat(70000); callback(null, user, context); }", LeavesIt);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[2].Limit, Is.EqualTo(SandboxLimit.OutputSize));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r3' made the multifactor request larger than 65,536 bytes."));
            Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"any"}"""));
        });
    }
}
