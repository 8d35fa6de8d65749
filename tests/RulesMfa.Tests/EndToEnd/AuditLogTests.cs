using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>A full journey writes its audit events, and no password, code, secret or token reaches the log.</summary>
[NonParallelizable]
public sealed class AuditLogTests
{
    [Test]
    public async Task AuditLog_FullJourney_HasEachStepAndNoSecret()
    {
        using var logFolder = new TempFolder();
        var logFile = Path.Combine(logFolder.Path, "rulesmfa.json");
        var secrets = new List<string> { RulesMfaServer.DemoPassword, RulesMfaServer.DemoSecret };
        await using (var server = await RulesMfaServer.StartAsync("--Server:LogFile", logFile))
        {
            await using var app = await RelyingParty.StartAsync(server, DemoTenantSeeder.TenantId, "audit-web");
            secrets.Add(app.ClientSecret);

            using var browser = new FormBrowser();
            var enrollment = await LoginFlow.SignInAsync(browser, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword);
            var key = LoginFlow.KeyFrom(enrollment);
            var code = LoginFlow.CodeFor(key);
            var saved = await LoginFlow.SubmitCodeAsync(browser, enrollment, code);
            var recoveryCode = saved.Text("recovery-code")!;
            await browser.GetAsync(new Uri(saved.Url, saved.Document.GetElementById("continue")!.GetAttribute("href")!).ToString());
            var me = await LoginFlow.MeAsync(browser, app);

            using var second = new FormBrowser();
            var challenge = await LoginFlow.SignInAsync(second, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword);
            var wrong = await LoginFlow.SubmitCodeAsync(second, challenge, code);
            await LoginFlow.UseRecoveryCodeAsync(second, wrong, recoveryCode);
            // Step-up with an emailed code ("try another method").
            using var fourth = new FormBrowser();
            var stepUp = await LoginFlow.SignInAsync(fourth, app, DemoTenantSeeder.UserEmail, RulesMfaServer.DemoPassword, path: "/login?stepup=1");
            var emailForm = await fourth.SubmitAsync(await LoginFlow.FollowAsync(fourth, stepUp, "use-email"), new Dictionary<string, string>());
            var emailedCode = LoginFlow.EmailedCode(server, DemoTenantSeeder.UserEmail);
            await LoginFlow.SubmitCodeAsync(fourth, emailForm, emailedCode);
            secrets.Add(emailedCode);

            using var third = new FormBrowser();
            await LoginFlow.SignInAsync(third, app, DemoTenantSeeder.UserEmail, "a wrong password");

            secrets.AddRange([OtpNet.Base32Encoding.ToString(key), code, recoveryCode, recoveryCode.Replace("-", ""),
                me.GetProperty("refreshToken").GetString()!, me.GetProperty("accessToken").GetString()!]);
        }

        var log = await File.ReadAllTextAsync(logFile);

        Assert.Multiple(() =>
        {
            foreach (var auditEvent in new[] { "login.succeeded", "login.failed", "rules.decided", "mfa.required", "mfa.enrolled", "mfa.succeeded",
                         "mfa.replay-refused", "mfa.recovery-code-used", "mfa.recovery-code-issued", "mfa.challenge-sent" })
            {
                Assert.That(log, Does.Contain($"\"AuditEvent\":\"{auditEvent}\""), auditEvent);
            }

            Assert.That(log, Does.Contain("\"ClientId\":\"audit-web\"").And.Contain("\"ClientIp\":\"127.0.0.1\"").And.Contain("\"TenantId\":\"demo\""),
                "events carry the client, IP and tenant");

            foreach (var secret in secrets)
            {
                Assert.That(log, Does.Not.Contain(secret), $"a secret of {secret.Length} characters is in the log");
            }
        });
    }
}
