using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>The globals Auth0 gave Rules: configuration, global, console, UnauthorizedError, auth0.</summary>
public sealed class RulesGlobalsTests
{
    private static readonly RulePipelineSettings WithConfiguration = new()
    {
        Configuration = new Dictionary<string, string> { ["TRUSTED"] = "10.0.0.0/8", ["API_KEY"] = "k-123" },
    };

    [Test]
    public void Configuration_IsReadableAndReadOnly()
    {
        var decision = Some.Decision(Some.Login(), WithConfiguration,
            """
            function (user, context, callback) {
              configuration.TRUSTED = 'changed'; configuration.ADDED = 'x'; delete configuration.API_KEY;
              context.idToken['https://x/c'] = [configuration.TRUSTED, typeof configuration.ADDED, configuration.API_KEY];
              callback(null, user, context);
            }
            """);

        Assert.That(decision.IdTokenClaims["https://x/c"]!.ToJsonString(), Is.EqualTo("""["10.0.0.0/8","undefined","k-123"]"""));
    }

    [Test]
    public void Configuration_InStrictModeRule_RefusesWritesWithAnError()
    {
        var decision = Some.Decision(Some.Login(), WithConfiguration,
            "function (user, context, callback) { 'use strict'; configuration.TRUSTED = 'x'; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
        });
    }

    [Test]
    public void Global_IsSharedByTheRulesOfOneLogin()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { global.cache = { hits: 1 }; callback(null, user, context); }",
            "function (user, context, callback) { context.idToken['https://x/hits'] = global.cache.hits; callback(null, user, context); }");

        Assert.That(decision.IdTokenClaims["https://x/hits"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public void Global_IsFreshForEveryLogin()
    {
        var pipeline = Some.Pipeline(new RulePipelineSettings(),
            "function (user, context, callback) { global.count = (global.count || 0) + 1; context.idToken['https://x/count'] = global.count; callback(null, user, context); }");

        var first = pipeline.Evaluate(Some.Login());
        var second = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(first.IdTokenClaims["https://x/count"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(second.IdTokenClaims["https://x/count"]!.GetValue<int>(), Is.EqualTo(1));
        });
    }

    [Test]
    public void Console_IsCapturedWithRuleAndLevel()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { console.log('ip', context.request.ip, 3, { a: 1 }); console.warn('careful'); callback(null, user, context); }",
            "function (user, context, callback) { console.error(new Error('x').message); console.info(true); console.debug(null); callback(null, user, context); }");

        Assert.That(decision.Logs, Is.EqualTo(new[]
        {
            new RuleLogEntry("r1", "info", """ip 203.0.113.9 3 {"a":1}"""),
            new RuleLogEntry("r1", "warn", "careful"),
            new RuleLogEntry("r2", "error", "x"),
            new RuleLogEntry("r2", "info", "true"),
            new RuleLogEntry("r2", "debug", "null"),
        }));
    }

    [Test]
    public void Console_IsBoundedInLinesAndLength()
    {
        var settings = new RulePipelineSettings { Limits = { MaxLogEntries = 3, MaxLogMessageLength = 16 } };

        var decision = Some.Decision(Some.Login(), settings,
            "function (user, context, callback) { for (let i = 0; i < 10; i++) console.log('line ' + i + ' ' + 'x'.repeat(40)); callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Logs, Has.Count.EqualTo(4));
            Assert.That(decision.Logs[0].Message, Is.EqualTo("line 0 xxxxxxxxx…"));
            Assert.That(decision.Logs[3].Message, Does.Contain("log limit of 3 entries reached"));
        });
    }

    [Test]
    public void UnauthorizedError_IsAnErrorWithItsName()
    {
        var decision = Some.Decision(
            """
            function (user, context, callback) {
              const e = new UnauthorizedError('m');
              context.idToken['https://x/e'] = [e instanceof Error, e.name, e.message];
              callback(null, user, context);
            }
            """);

        Assert.That(decision.IdTokenClaims["https://x/e"]!.ToJsonString(), Is.EqualTo("""[true,"UnauthorizedError","m"]"""));
    }

    [Test]
    public void Auth0UsersUpdateMetadata_MergesPatchesForTheLoggingInUser()
    {
        var decision = Some.Decision(
            """
            async function (user, context, callback) {
              user.app_metadata.last_country = 'NL';
              await auth0.users.updateAppMetadata(user.user_id, user.app_metadata);
              await auth0.users.updateAppMetadata(user.user_id, { roles: null });
              await auth0.users.updateUserMetadata(user.user_id, { theme: 'dark' });
              callback(null, user, context);
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(decision.AppMetadata.ToJsonString(), Is.EqualTo("""{"roles":null,"last_country":"NL"}"""));
            Assert.That(decision.UserMetadata.ToJsonString(), Is.EqualTo("""{"theme":"dark"}"""));
        });
    }

    [Test]
    public void Auth0UsersUpdateMetadata_ForAnotherUser_RejectsAndChangesNothing()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { auth0.users.updateAppMetadata('auth0|someone-else', { admin: true }).then(() => callback(null, user, context)).catch(callback); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error!.Description, Does.Contain("can only update the user who is logging in"));
            Assert.That(decision.AppMetadata, Is.Empty);
        });
    }

    [Test]
    public void Auth0_HasTheTenantDomain()
    {
        var decision = Some.Decision(Some.Login(), new RulePipelineSettings { Domain = "login.example.com" },
            "function (user, context, callback) { context.idToken['https://x/d'] = [auth0.domain, auth0.baseUrl]; callback(null, user, context); }");

        Assert.That(decision.IdTokenClaims["https://x/d"]!.ToJsonString(), Is.EqualTo("""["login.example.com","https://login.example.com/api/v2"]"""));
    }

    [Test]
    public void Date_IsTheCallersClockInUtc()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { const d = new Date(); context.idToken['https://x/now'] = [Date.now(), d.getHours(), d.toISOString()]; callback(null, user, context); }");

        Assert.That(decision.IdTokenClaims["https://x/now"]!.ToJsonString(),
            Is.EqualTo($"[{Some.Now.ToUnixTimeMilliseconds()},10,\"2026-11-25T10:30:00.000Z\"]"));
    }
}
