using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>ActionApi</c> and <c>ActionsAdapter</c>): each misuse of an Action's <c>api</c>
/// is a TypeError whose whole message names the method and what it needs; the methods chain; the first deny wins; a
/// factor's options are the first given for its type; reserved claims are dropped with a warning naming the token;
/// and the redirect URL is refused at one byte over the output limit, before or after escaping its query (the limit's
/// description says "Rule" for an Action too, as every limit's does).
/// </summary>
public sealed class MutationActionApiTests
{
    private const string KnownTypes = "webauthn-roaming, webauthn-platform, push-notification, otp, phone, email, duo, recovery-code";

    [TestCase("api.authentication.challengeWith({ type: 'sms-magic' })", $"unknown factor type 'sms-magic'; use one of {KnownTypes}")]
    [TestCase("api.authentication.enrollWith(5)", $"unknown factor type '5'; use one of {KnownTypes}")]
    [TestCase("api.authentication.challengeWithAny([])", "challengeWithAny needs a non-empty array of factors such as [{ type: 'otp' }]")]
    [TestCase("api.authentication.enrollWithAny('otp')", "enrollWithAny needs a non-empty array of factors such as [{ type: 'otp' }]")]
    [TestCase("api.authentication.challengeWith({ type: 'otp' }, { additionalFactors: [] })",
        "additionalFactors needs a non-empty array of factors such as [{ type: 'otp' }]")]
    [TestCase("api.multifactor.enable(true)", "api.multifactor.enable needs a provider name such as 'any'")]
    [TestCase("api.idToken.setCustomClaim('', 1)", "setCustomClaim needs a name as its first argument")]
    [TestCase("api.accessToken.setCustomClaim(7, 1)", "setCustomClaim needs a name as its first argument")]
    [TestCase("api.user.setAppMetadata()", "setAppMetadata needs a name as its first argument")]
    [TestCase("api.user.setUserMetadata(null, 1)", "setUserMetadata needs a name as its first argument")]
    public void ApiMisuse_IsATypeErrorWithItsWholeMessage(string call, string message)
    {
        var decision = Action($"try {{ {call}; }} catch (e) {{ api.idToken.setCustomClaim('https://x/error', e.name + ': ' + e.message); }}");

        Assert.That(decision.IdTokenClaims["https://x/error"]?.ToString(), Is.EqualTo($"TypeError: {message}"));
    }

    [Test]
    public void ApiMethods_ReturnTheApi_SoTheyChain()
    {
        var decision = Action("api.idToken.setCustomClaim('https://x/a', 1).accessToken.setCustomClaim('https://x/b', 2).user.setAppMetadata('c', 3);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://x/a":1}"""));
            Assert.That(decision.AccessTokenClaims.ToJsonString(), Is.EqualTo("""{"https://x/b":2}"""));
            Assert.That(decision.AppMetadata.ToJsonString(), Is.EqualTo("""{"c":3}"""));
        });
    }

    [TestCase("api.access.deny('first'); api.access.deny('second');", "first")]
    [TestCase("api.access.deny();", "undefined")]
    public void AccessDeny_TheFirstReasonWins(string calls, string reason)
    {
        var decision = Action(calls);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Denied));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", reason)));
        });
    }

    [Test]
    public void MultifactorEnable_KeepsOnlyABooleanRememberBrowserAndStringProviderOptions()
    {
        var decision = Action("api.multifactor.enable('duo', { allowRememberBrowser: 'yes', providerOptions: { host: 'h', ikey: 1, skey: null } });");

        Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"duo","providerOptions":{"host":"h"}}"""));
    }

    [Test]
    public void FactorOptions_AreTheFirstGivenForEachType_AndFactorsMayBeNamesAlone()
    {
        var decision = Action(
            "api.authentication.challengeWithAny([{ type: 'phone', options: { preferredMethod: 'voice' } }, 'otp', { type: 'phone', options: { preferredMethod: 'sms' } }, { type: 'email', options: 'none' }]);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Factors, Is.EqualTo(new[] { "phone", "otp", "email" }), "each type once");
            Assert.That(decision.FactorOptions!.ToJsonString(), Is.EqualTo("""{"phone":{"preferredMethod":"voice"}}"""));
        });
    }

    [Test]
    public void ChallengeWith_WithoutAdditionalFactors_IsTheOneFactor()
    {
        var decision = Action("api.authentication.challengeWith({ type: 'otp' }, { additionalFactors: undefined });");

        Assert.That(decision.Factors, Is.EqualTo(new[] { "otp" }));
    }

    [TestCase("idToken")]
    [TestCase("accessToken")]
    public void ReservedClaim_IsDroppedWithAWarningNamingTheToken(string token)
    {
        var decision = Action($"api.{token}.setCustomClaim('sub', 'someone-else');");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Logs, Is.EqualTo(new[] { new RuleLogEntry("a1", "warn", $"api.{token}.setCustomClaim('sub') names a reserved claim; it was dropped") }));
            Assert.That(decision.IdTokenClaims.ToJsonString() + decision.AccessTokenClaims.ToJsonString(), Is.EqualTo("{}{}"));
        });
    }

    [TestCase("https://example.com/v", "{ a: 'b c', d: 'e' }", "https://example.com/v?a=b%20c&d=e")]
    [TestCase("https://example.com/v?x=1", "{ a: 'b' }", "https://example.com/v?x=1&a=b")]
    [TestCase("https://example.com/v", "{}", "https://example.com/v?")]
    [TestCase("https://example.com/v", "'not an object'", "https://example.com/v")]
    [TestCase("https://example.com/v", "new Proxy({ a: 'b' }, { ownKeys: () => [Symbol('s'), 'a'] })", "https://example.com/v?a=b")]
    public void RedirectQuery_IsEscapedOntoTheUrl(string url, string query, string redirect)
    {
        Assert.That(Action($"api.redirect.sendUserTo('{url}', {{ query: {query} }});").Redirect, Is.EqualTo(redirect));
    }

    /// <summary>With a limit of 1,024 bytes, <c>https://example.com/v?p=</c> (24 characters) and 1,000 more fit.</summary>
    [TestCase("'x'.repeat(1000)", null)]
    [TestCase("'x'.repeat(1001)", "Action 'a1' made the redirect URL larger than 1,024 bytes.")]
    [TestCase("' '.repeat(400)", "Action 'a1' made the redirect URL larger than 1,024 bytes.")]
    public void RedirectUrl_OverTheOutputLimit_IsRefused(string value, string? error)
    {
        var decision = Action($"api.redirect.sendUserTo('https://example.com/v', {{ query: {{ p: {value} }} }});", new RulePipelineSettings { Limits = { MaxOutputBytes = 1_024 } });

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error?.Description, Is.EqualTo(error));
            Assert.That(decision.Redirect?.Length, Is.EqualTo(error is null ? 1_024 : null));
        });
    }

    [Test]
    public void ModuleExportsReplacedWithANonObject_DeniesNamingTheAction()
    {
        var decision = Some.Decision("exports.onExecutePostLogin = async () => {}; module.exports = 5;");

        Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Action 'r1' does not export an onExecutePostLogin function.")));
    }

    private static MfaDecision Action(string body, RulePipelineSettings? settings = null) => new RulePipeline(
        [Some.Rule("a1", $"exports.onExecutePostLogin = async (event, api) => {{ {body} }};")], settings, new FixedTimeProvider(Some.Now)).Evaluate(Some.Login());
}
