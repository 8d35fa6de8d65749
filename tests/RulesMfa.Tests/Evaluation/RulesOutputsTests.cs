using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>What Rules ask for through context: multifactor, idToken, accessToken, redirect.</summary>
public sealed class RulesOutputsTests
{
    [Test]
    public void Multifactor_True_IsProviderAny()
    {
        var decision = Some.Decision("function (user, context, callback) { context.multifactor = true; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"any"}"""));
            Assert.That(decision.AllowRememberBrowser, Is.Null);
            Assert.That(decision.Factors, Is.Empty);
        });
    }

    [Test]
    public void Multifactor_Object_IsCopiedWithItsOptions()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { context.multifactor = { provider: 'google-authenticator', allowRememberBrowser: true, ignoreCookie: false }; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"google-authenticator","allowRememberBrowser":true,"ignoreCookie":false}"""));
            Assert.That(decision.AllowRememberBrowser, Is.True);
        });
    }

    [Test]
    public void Multifactor_WithoutProvider_FailsClosedToAny()
    {
        var decision = Some.Decision("function (user, context, callback) { context.multifactor = { allowRememberBrowser: false }; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Multifactor!["provider"]!.GetValue<string>(), Is.EqualTo("any"));
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
        });
    }

    [Test]
    public void Multifactor_ProviderNone_Allows()
    {
        var decision = Some.Decision("function (user, context, callback) { context.multifactor = { provider: 'none' }; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Allow));
            Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"none"}"""));
        });
    }

    [Test]
    public void Multifactor_RemovedByALaterRule_IsWithdrawn()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { context.multifactor = true; callback(null, user, context); }",
            "function (user, context, callback) { delete context.multifactor; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Allow));
            Assert.That(decision.Multifactor, Is.Null);
        });
    }

    [Test]
    public void Claims_AreReadFromIdTokenAndAccessToken()
    {
        var decision = Some.Decision(
            """
            function (user, context, callback) {
              context.idToken['https://example.com/roles'] = user.app_metadata.roles;
              context.accessToken['https://example.com/tier'] = 'gold';
              context.accessToken['https://example.com/when'] = new Date(0);
              callback(null, user, context);
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://example.com/roles":["admin"]}"""));
            Assert.That(decision.AccessTokenClaims.ToJsonString(), Is.EqualTo("""{"https://example.com/tier":"gold","https://example.com/when":"1970-01-01T00:00:00.000Z"}"""));
        });
    }

    [TestCase("sub")]
    [TestCase("amr")]
    [TestCase("acr")]
    [TestCase("auth_time")]
    [TestCase("iss")]
    [TestCase("rulesmfa_mfa_at")]
    [TestCase("rulesmfa_pwd_at")]
    [TestCase("oi_scp")]
    [TestCase("AMR")]
    [TestCase("RULESMFA_MFA_AT")]
    [TestCase("Oi_Scp")]
    public void Claims_Reserved_AreDroppedAndLoggedAgainstTheRuleThatSetThem(string claim)
    {
        var decision = Some.Decision(
            "function (user, context, callback) { callback(null, user, context); }",
            $"function (user, context, callback) {{ context.idToken['{claim}'] = 'forged'; context.accessToken['{claim}'] = 'forged'; callback(null, user, context); }}",
            "function (user, context, callback) { context.idToken['https://x/saw'] = context.idToken['" + claim + "'] === undefined; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://x/saw":true}"""));
            Assert.That(decision.AccessTokenClaims, Is.Empty);
            Assert.That(decision.Logs.Select(log => (log.Rule, log.Level)), Is.EqualTo(new[] { ("r2", "warn"), ("r2", "warn") }));
            Assert.That(decision.Logs[0].Message, Does.Contain($"['{claim}'] is a reserved claim"));
        });
    }

    [Test]
    public void Redirect_IsTheUrlOfContextRedirect_LoggedOnceAgainstTheRuleThatSetIt()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { callback(null, user, context); }",
            "function (user, context, callback) { context.redirect = { url: 'https://example.com/consent' }; callback(null, user, context); }",
            "function (user, context, callback) { context.idToken['https://x/saw'] = context.redirect.url; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Redirect, Is.EqualTo("https://example.com/consent"));
            Assert.That(decision.Logs.Select(log => (log.Rule, log.Level, log.Message)), Is.EqualTo(new[]
            {
                ("r2", "warn", "context.redirect asks to send the user to another page, which this server does not do: the login will be refused"),
            }), "the rule after it leaves the redirect as it was");
        });
    }
}
