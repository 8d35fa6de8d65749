using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Cli;

/// <summary>The support commands work on the running server's database, and are audited.</summary>
[NonParallelizable]
public sealed class UserCommandsTests
{
    [Test]
    public async Task ResetMfa_EnrolledUser_MustEnrollAgainAtTheNextLogin_AndTheirRefreshTokenStops()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await using var app = await RelyingParty.StartAsync(server, DemoTenantSeeder.TenantId, "support-web");
        string refreshToken;
        using (var browser = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(browser, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword);
            var saved = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
            await LoginFlow.FollowAsync(browser, saved, "continue");
            refreshToken = (await LoginFlow.MeAsync(browser, app)).GetProperty("refreshToken").GetString()!;
        }

        var run = CliRun.Of("user", "reset-mfa", "--tenant", "demo", "--email", "Demo@Example.com", "--data-folder", server.DataFolder);
        using var next = new FormBrowser();
        var afterReset = await LoginFlow.SignInAsync(next, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword);
        var refresh = await app.RefreshAsync(refreshToken);
        var auditRows = await server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().Audit
            .Where(row => row.Action == "mfa.reset").Select(row => row.Actor).ToListAsync());

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            Assert.That(run.Output, Does.Contain("Removed 1 authenticator app(s), 0 phone number(s), 0 email factor(s), 1 recovery code(s), 0 security key(s), 0 device biometrics key(s), 0 push device(s) and 0 pending Duo sign-in(s), forgot 0 browser(s) and revoked"));
            Assert.That(run.Output, Does.Contain($"Audit \"mfa.reset\": \"cli:{Environment.UserName}\" changed \"rulesmfa|"));
            Assert.That(auditRows, Is.EqualTo(new[] { $"cli:{Environment.UserName}" }), "an audit row names the CLI as the actor");
            Assert.That(afterReset.Url.AbsolutePath, Is.EqualTo("/demo/mfa/enroll"), "the user enrolls again");
            Assert.That(refresh.TryGetProperty("error_description", out var refused) ? refused.GetString() : $"not refused: {refresh}",
                Is.EqualTo("The specified refresh token is no longer valid."));
        });
    }

    [Test]
    public async Task ForgetBrowsers_RememberedBrowser_NoLongerSkipsMfa()
    {
        await using var server = await RulesMfaServer.StartAsync();
        var (userId, token) = await server.WithServicesAsync(async services =>
        {
            var user = await new LoginFlowUsers(services).DemoUserAsync();
            return (user, await services.GetRequiredService<RememberedBrowsers>().RememberAsync(user, RememberedBrowsers.Lifetime, CancellationToken.None));
        });

        var run = CliRun.Of("user", "forget-browsers", "--tenant", "demo", "--email", DemoTenantSeeder.UserEmail, "--data-folder", server.DataFolder);
        var stillRemembered = await server.WithServicesAsync(services =>
            services.GetRequiredService<RememberedBrowsers>().IsRememberedAsync(userId, token, RememberedBrowsers.Lifetime, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            Assert.That(run.Output, Does.Contain("Forgot 1 browser(s)").And.Contain($"Audit \"mfa.remembered-browsers-revoked\": \"cli:{Environment.UserName}\""));
            Assert.That(stillRemembered, Is.False);
        });
    }

    [Test]
    public async Task ResetMfa_UnknownUser_SaysSoAndExitsTwo()
    {
        await using var server = await RulesMfaServer.StartAsync();

        var run = CliRun.Of("user", "reset-mfa", "--tenant", "demo", "--email", "nobody@example.com", "--data-folder", server.DataFolder);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("no user 'nobody@example.com' in tenant 'demo'"));
        });
    }

    [Test]
    public void ResetMfa_FolderWithoutADatabase_SaysSoAndExitsTwo()
    {
        using var folder = new Support.TempFolder();

        var run = CliRun.Of("user", "reset-mfa", "--tenant", "demo", "--email", "demo@example.com", "--data-folder", folder.Path);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Error, Does.Contain("no RulesMfa database in"));
        });
    }

    [Test]
    public async Task ResetMfa_PostgreSqlDatabaseWithoutTheSchema_NamesTheDatabaseNotAFolder()
    {
        using var empty = await Support.TestDatabase.CreateAsync(StorageProvider.PostgreSql, migrated: false);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(empty.ConnectionString);
        CliRun run;
        Environment.SetEnvironmentVariable("Storage__Provider", "postgresql");
        Environment.SetEnvironmentVariable("ConnectionStrings__RulesMfa", empty.ConnectionString);
        try
        {
            run = CliRun.Of("user", "reset-mfa", "--tenant", "demo", "--email", "demo@example.com");
        }
        finally
        {
            Environment.SetEnvironmentVariable("Storage__Provider", null);
            Environment.SetEnvironmentVariable("ConnectionStrings__RulesMfa", null);
        }

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Error);
            Assert.That(run.Error.Trim(), Is.EqualTo($"rulesmfa: no RulesMfa database '{connection.Database}' on PostgreSQL {connection.Host}:{connection.Port}: " +
                "start the server once on it, or name another with ConnectionStrings__RulesMfa"));
        });
    }

    private sealed class LoginFlowUsers(IServiceProvider services)
    {
        public async Task<string> DemoUserAsync()
        {
            var database = services.GetRequiredService<RulesMfa.Host.Storage.RulesMfaDbContext>();
            return (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(database.Users, user => user.Email == DemoTenantSeeder.UserEmail)).Id;
        }
    }
}
