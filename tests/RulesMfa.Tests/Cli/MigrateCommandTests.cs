using RulesMfa.Host.Cli;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Cli;

/// <summary><c>rulesmfa migrate RULE.js</c>: the Action on stdout; what it could not translate marked, listed on stderr, exit 3.</summary>
public sealed class MigrateCommandTests
{
    [Test]
    public void Migrate_RuleOfTheUsualKind_PrintsTheEquivalentActionAndExitsZero()
    {
        using var folder = new TempFolder();
        var rule = folder.Write("admins.js",
            """
            function mfaForAdmins(user, context, callback) {
              if (!user.email_verified) {
                return callback(new UnauthorizedError('verify your email'));
              }
              if ((user.app_metadata.roles || []).includes(configuration.ADMIN_ROLE)) {
                context.multifactor = { provider: 'any', allowRememberBrowser: false };
              }
              context.idToken['https://example.com/country'] = context.request.geoip.country_code;
              context.accessToken.scope_hint = context.clientName;
              callback(null, user, context);
            }
            """);

        var run = CliRun.Of("migrate", rule);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(CliExitCodes.Success), run.Error);
            Assert.That(run.Error, Is.Empty);
            Assert.That(run.Output, Does.Contain("exports.onExecutePostLogin = async (event, api) => {"));
            Assert.That(run.Output, Does.Contain("return api.access.deny('verify your email');"));
            Assert.That(run.Output, Does.Contain("(event.user.app_metadata.roles || []).includes(event.secrets.ADMIN_ROLE)"));
            Assert.That(run.Output, Does.Contain("api.multifactor.enable('any', { allowRememberBrowser: false });"));
            Assert.That(run.Output, Does.Contain("api.idToken.setCustomClaim('https://example.com/country', event.request.geoip.countryCode);"));
            Assert.That(run.Output, Does.Contain("api.accessToken.setCustomClaim('scope_hint', event.client.name);"));
            Assert.That(run.Output, Does.Not.Contain("callback").And.Not.Contain("context."));
        });
    }

    [Test]
    public void Migrate_RuleWithRulesOnlyFeatures_MarksThemListsThemAndExitsThree()
    {
        using var folder = new TempFolder();
        var rule = folder.Write("redirect.js",
            """
            function (user, context, callback) {
              context.redirect = { url: 'https://example.com/consent' };
              callback(null, user, context);
            }
            """);

        var run = CliRun.Of("migrate", rule);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(CliExitCodes.MigrationIncomplete));
            Assert.That(run.Output, Does.Contain("/* rulesmfa migrate: this change of context has no Action equivalent */"));
            Assert.That(run.Error, Does.Contain("redirect.js: not translated: this change of context has no Action equivalent (line 2"));
        });
    }

    [Test]
    public void Migrate_FileThatIsNotARule_ReportsTheCompileErrorAndExitsTwo()
    {
        using var folder = new TempFolder();
        var rule = folder.Write("broken.js", "function (user, context, callback) {\n  if (\n}");

        var run = CliRun.Of("migrate", rule);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(CliExitCodes.UsageOrCompilation));
            Assert.That(run.Error, Does.Contain("broken"));
        });
    }

    [Test]
    public void Migrate_AnAction_SaysItIsAlreadyAnActionAndExitsTwo()
    {
        using var folder = new TempFolder();
        var action = folder.Write("mfa.js", "exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable('any'); };");

        var run = CliRun.Of("migrate", action);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(CliExitCodes.UsageOrCompilation));
            Assert.That(run.Error.TrimEnd(), Is.EqualTo($"rulesmfa: {action} is already an Action (it exports onExecutePostLogin): there is nothing to migrate"));
            Assert.That(run.Output, Is.Empty);
        });
    }

    [Test]
    public void Migrate_RequestGuard_TranslatesToTheEventRequestGuard()
    {
        using var folder = new TempFolder();
        var rule = folder.Write("guard.js",
            """
            function (user, context, callback) {
              if (context.request && context.request.ip === '203.0.113.9') {
                context.multifactor = { provider: 'any' };
              }
              const country = context.request && context.request.geoip && context.request.geoip.country_code;
              console.log(country);
              callback(null, user, context);
            }
            """);

        var run = CliRun.Of("migrate", rule);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(CliExitCodes.Success), run.Error);
            Assert.That(run.Output, Does.Contain("if (event.request && event.request.ip === '203.0.113.9') {"));
            Assert.That(run.Output, Does.Contain("const country = event.request && event.request.geoip && event.request.geoip.countryCode;"));
            Assert.That(run.Output, Does.Not.Contain("context").And.Not.Contain("rulesmfa migrate:"));
        });
    }
}
