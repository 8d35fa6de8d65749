using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>RulesOutputReader</c>): every form a Rule's <c>context.multifactor</c>,
/// <c>context.idToken</c> and <c>context.redirect</c> can take, and what each is read as. MFA fails closed: any truthy
/// value that is not a request naming a provider by a string asks for provider <c>any</c>, and a string, even the empty
/// one (falsy in JavaScript), is taken as the provider's name.
/// </summary>
public sealed class MutationRulesOutputReaderTests
{
    [TestCase("true", """{"provider":"any"}""")]
    [TestCase("'guardian'", """{"provider":"guardian"}""")]
    [TestCase("{ provider: 5, allowRememberBrowser: false }", """{"provider":"any","allowRememberBrowser":false}""")]
    [TestCase("{ provider: 'duo' }", """{"provider":"duo"}""")]
    [TestCase("[]", """{"provider":"any"}""")]
    [TestCase("function () {}", """{"provider":"any"}""")]
    [TestCase("1", """{"provider":"any"}""")]
    [TestCase("0", null)]
    [TestCase("''", """{"provider":""}""")]
    [TestCase("null", null)]
    public void Multifactor_IsReadAsARequest(string value, string? request)
    {
        var decision = Rule($"context.multifactor = {value};");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Multifactor?.ToJsonString(), Is.EqualTo(request));
            Assert.That(decision.Outcome, Is.EqualTo(request is null ? DecisionOutcome.Allow : DecisionOutcome.Mfa));
        });
    }

    [Test]
    public void Claims_AreReadAsJsonStringifyWouldWriteThem()
    {
        var decision = Rule(
            """
            context.idToken['https://x/null'] = null;
            context.idToken['https://x/undefined'] = undefined;
            context.idToken['https://x/function'] = () => 1;
            Object.defineProperty(context.idToken, 'https://x/hidden', { value: 1, enumerable: false });
            context.idToken['https://x/kept'] = 'yes';
            """);

        Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://x/null":null,"https://x/kept":"yes"}"""));
    }

    [TestCase("idToken")]
    [TestCase("accessToken")]
    public void ClaimsReplacedWithANonObjectByALaterRule_AreWithdrawn(string token)
    {
        var decision = Some.Decision(
            $"function (user, context, callback) {{ context.{token} = {{ 'https://x/a': 1 }}; callback(null, user, context); }}",
            $"function (user, context, callback) {{ context.{token} = 'none'; callback(null, user, context); }}");

        Assert.That(decision.IdTokenClaims.ToJsonString() + decision.AccessTokenClaims.ToJsonString(), Is.EqualTo("{}{}"));
    }

    [Test]
    public void ReservedAccessTokenClaim_IsDroppedAndLoggedNamingTheToken()
    {
        var decision = Rule("context.accessToken = { sub: 'someone-else', 'https://x/a': 1 };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.AccessTokenClaims.ToJsonString(), Is.EqualTo("""{"https://x/a":1}"""));
            Assert.That(decision.Logs, Is.EqualTo(new[] { new RuleLogEntry("r1", "warn", "context.accessToken['sub'] is a reserved claim and was dropped") }));
        });
    }

    [TestCase("{ url: 'https://example.com/a' }", "https://example.com/a")]
    [TestCase("'https://example.com/b'", "https://example.com/b")]
    [TestCase("{ url: 5 }", null)]
    [TestCase("5", null)]
    public void Redirect_IsItsUrl(string value, string? url)
    {
        Assert.That(Rule($"context.redirect = {value};").Redirect, Is.EqualTo(url));
    }

    private static MfaDecision Rule(string body) => Some.Decision($"function (user, context, callback) {{ {body} callback(null, user, context); }}");
}
