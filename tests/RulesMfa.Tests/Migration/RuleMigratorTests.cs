using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Migration;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Migration;

/// <summary>
/// The rewriter, one translation at a time: what the Action says, and that it decides on a login as its Rule does
/// (the migration differential suite does the same over a corpus; these name each rule of the rewriter).
/// </summary>
public sealed class RuleMigratorTests
{
    private const string AdminLogin = """{"email": "ada@example.com", "app_metadata": {"roles": ["admin"]}}""";

    [Test]
    public void Migrate_UserAndContextReads_BecomeEventReads()
    {
        const string rule = """
            function (user, context, callback) {
              if (user.app_metadata.roles.includes('admin') && context.clientID === 'app' && context.request.geoip.country_code === 'FR') {
                context.multifactor = { provider: 'any' };
              }
              callback(null, user, context);
            }
            """;
        var migration = Migrate(rule);

        Assert.Multiple(() =>
        {
            Assert.That(migration.Complete, Is.True);
            Assert.That(migration.Action, Does.Contain("event.user.app_metadata.roles.includes('admin')"));
            Assert.That(migration.Action, Does.Contain("event.client.client_id === 'app'"));
            Assert.That(migration.Action, Does.Contain("event.request.geoip.countryCode === 'FR'"));
            Assert.That(migration.Action, Does.Contain("api.multifactor.enable('any'"));
        });
        AssertSameDecision(rule, migration, """{"clientID": "app", "request": {"ip": "203.0.113.9", "geoip": {"country_code": "FR"}}}""");
    }

    [Test]
    public void Migrate_Configuration_BecomesEventSecrets()
    {
        const string rule = """
            function (user, context, callback) {
              context.idToken['https://example.com/plan'] = configuration.PLAN;
              callback(null, user, context);
            }
            """;
        var migration = Migrate(rule);

        Assert.Multiple(() =>
        {
            Assert.That(migration.Action, Does.Contain("event.secrets.PLAN"));
            Assert.That(migration.Action, Does.Contain("api.idToken.setCustomClaim('https://example.com/plan', event.secrets.PLAN)"));
            Assert.That(migration.Action, Does.Not.Contain("configuration"));
        });
        AssertSameDecision(rule, migration);
    }

    [Test]
    public void Migrate_AccessTokenClaim_BecomesSetCustomClaimOnTheAccessToken()
    {
        const string rule = """
            function (user, context, callback) {
              context.accessToken['https://example.com/roles'] = user.app_metadata.roles;
              callback(null, user, context);
            }
            """;
        var migration = Migrate(rule);

        Assert.That(migration.Action, Does.Contain("api.accessToken.setCustomClaim('https://example.com/roles', event.user.app_metadata.roles)"));
        AssertSameDecision(rule, migration);
    }

    [Test]
    public void Migrate_MetadataUpdate_BecomesOneSetCallPerKey()
    {
        const string rule = """
            function (user, context, callback) {
              user.app_metadata.seen = true;
              auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
                .then(function () { callback(null, user, context); })
                .catch(function (err) { callback(err); });
            }
            """;
        var migration = Migrate(rule);

        Assert.That(migration.Action, Does.Contain("api.user.setAppMetadata("));
        AssertSameDecision(rule, migration);
    }

    [Test]
    public void Migrate_UnauthorizedErrorCallback_BecomesAccessDenyWithTheMessage()
    {
        const string rule = """
            function (user, context, callback) {
              if (!user.email_verified) {
                return callback(new UnauthorizedError('Verify your email first.'));
              }
              callback(null, user, context);
            }
            """;
        var migration = Migrate(rule);

        var decision = Evaluate(migration.Action, """{"email_verified": false}""");

        Assert.Multiple(() =>
        {
            Assert.That(migration.Action, Does.Contain("return api.access.deny('Verify your email first.')"));
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error!.Description, Is.EqualTo("Verify your email first."));
            Assert.That(decision.Error.Code, Is.EqualTo("access_denied"), "an Action's deny is always access_denied (a documented difference)");
        });
    }

    [Test]
    public void Migrate_CallbackOnlyAtTheEnd_BecomesAPlainReturn()
    {
        const string rule = "function (user, context, callback) { context.multifactor = { provider: 'any' }; callback(null, user, context); }";
        var migration = Migrate(rule);

        Assert.Multiple(() =>
        {
            Assert.That(migration.Action, Does.Not.Contain("new Promise"));
            Assert.That(migration.Action, Does.Contain("exports.onExecutePostLogin = async (event, api) => {"));
        });
        AssertSameDecision(rule, migration);
    }

    [Test]
    public void Migrate_CallbackFromANestedFunction_RunsInsideAPromiseThatTheFirstCallSettles()
    {
        const string rule = """
            function (user, context, callback) {
              setTimeout(function () {
                context.multifactor = { provider: 'any' };
                callback(null, user, context);
                callback(new Error('a second call is ignored'));
              }, 0);
            }
            """;
        var migration = Migrate(rule);

        Assert.Multiple(() =>
        {
            Assert.That(migration.Action, Does.Contain("await new Promise("));
            Assert.That(migration.Complete, Is.True);
        });
        AssertSameDecision(rule, migration);
    }

    [Test]
    public void Migrate_PathThatNeverCallsBack_StillNeverFinishes()
    {
        const string rule = """
            function (user, context, callback) {
              if (user.email === 'stuck@example.com') { return; }
              callback(null, user, context);
            }
            """;
        var migration = Migrate(rule);

        var stuck = Evaluate(migration.Action, """{"email": "stuck@example.com"}""");

        Assert.That(stuck.Rules.Single().Status, Is.EqualTo(RuleStatus.Timeout), "as the Rule: a path without a callback never ends");
    }

    [TestCase("configuration.KEY = 'x';", "configuration")]
    [TestCase("var r = context.redirect;", "context.redirect")]
    [TestCase("var m = context.multifactor;", "context.multifactor")]
    [TestCase("var s = context.sessionID;", "context.sessionID")]
    public void Migrate_RulesOnlyFeature_IsMarkedAndListed(string statement, string named)
    {
        var migration = Migrate($"function (user, context, callback) {{ {statement} callback(null, user, context); }}");

        Assert.Multiple(() =>
        {
            Assert.That(migration.Complete, Is.False);
            Assert.That(migration.Untranslated, Has.Some.Contains(named));
            Assert.That(migration.Action, Does.Contain("rulesmfa migrate:"));
        });
    }

    [Test]
    public void Migrate_NotARule_ThrowsWithLineAndColumn()
    {
        var error = Assert.Throws<RuleCompilationException>(() => RuleMigrator.Migrate("broken", "function (user, context, callback) {\n  if (x {\n}"));

        Assert.That((error!.Line, error.Column), Is.EqualTo((2, 9)));
    }

    private static RuleMigration Migrate(string rule) => RuleMigrator.Migrate("rule", rule);

    private static MfaDecision Evaluate(string source, string? user = null, string? context = null) =>
        Some.Decision(Some.Login(user ?? AdminLogin, context), source);

    /// <summary>The Action decides as the Rule on the same login (outcome, MFA request, claims, metadata, error).</summary>
    private static void AssertSameDecision(string ruleSource, RuleMigration migration, string? context = null, string? user = null)
    {
        var rule = Evaluate(ruleSource, user, context);
        var action = Evaluate(migration.Action, user, context);

        Assert.Multiple(() =>
        {
            Assert.That(action.Outcome, Is.EqualTo(rule.Outcome), migration.Action);
            Assert.That(action.Multifactor?.ToJsonString(), Is.EqualTo(rule.Multifactor?.ToJsonString()));
            Assert.That(action.IdTokenClaims.ToJsonString(), Is.EqualTo(rule.IdTokenClaims.ToJsonString()));
            Assert.That(action.AccessTokenClaims.ToJsonString(), Is.EqualTo(rule.AccessTokenClaims.ToJsonString()));
            Assert.That(action.AppMetadata.ToJsonString(), Is.EqualTo(rule.AppMetadata.ToJsonString()));
            Assert.That(action.Error?.Description, Is.EqualTo(rule.Error?.Description));
        });
    }
}
