using System.Net;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Telemetry;

/// <summary>/metrics through the real server: RulesMfa's instruments counted from real logins, and no endpoint unless enabled.</summary>
[NonParallelizable]
public sealed class MetricsTests
{
    private const string Tenant = "gauge";
    private const string Password = "a long enough password";

    /// <summary>MFA for everyone; a user whose app_metadata says fault breaks the array-size limit.</summary>
    private const string MfaOrFault = """
        function (user, context, callback) {
          if (user.app_metadata.fault) { new Array(10000000).fill(1); }
          context.multifactor = { provider: 'any' };
          callback(null, user, context);
        }
        """;

    [Test]
    public async Task Metrics_AfterRealLogins_CountEachOutcomeByTenantFactorAndLimit()
    {
        await using var server = await RulesMfaServer.StartAsync("--Metrics:Enabled", "true");
        await server.AddTenantAsync(Tenant);
        await server.SetRulesAsync(Tenant, ("010-mfa-or-fault", MfaOrFault));
        await server.AddUserAsync(Tenant, "totp@gauge.example", Password);
        await server.AddUserAsync(Tenant, "fault@gauge.example", Password, appMetadata: new { fault = true });
        await server.AddUserAsync(Tenant, "guess@gauge.example", Password);
        await using var app = await RelyingParty.StartAsync(server, Tenant, "gauge-web");

        // Enrollment: password, the enrollment page, the first code.
        byte[] key;
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, app, "totp@gauge.example", Password);
            key = LoginFlow.KeyFrom(enrollment);
            await LoginFlow.SubmitCodeAsync(enrolling, enrollment, LoginFlow.CodeFor(key));
        }

        // A challenge: a wrong code, then the right one (the next step's, never the code used to enroll).
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, "totp@gauge.example", Password);
        var wrong = await LoginFlow.SubmitCodeAsync(browser, challenge, "000000");
        await LoginFlow.SubmitCodeAsync(browser, wrong, LoginFlow.CodeFor(key, 1));
        await LoginFlow.MeAsync(browser, app);

        // A rule fault: the password passes, the rule breaks a limit, the fail mode denies.
        using var faulting = new FormBrowser();
        await LoginFlow.SignInAsync(faulting, app, "fault@gauge.example", Password);

        // Wrong passwords until the lockout answers; what the pages said is what the counters must say.
        using var guessing = new FormBrowser();
        var (wrongPasswords, blocked) = (0, 0);
        while (blocked == 0 && wrongPasswords < 12)
        {
            var page = await LoginFlow.SignInAsync(guessing, app, "guess@gauge.example", "not the password");
            var error = page.Text("login-error") ?? "";
            wrongPasswords += error.StartsWith("Wrong email or password", StringComparison.Ordinal) ? 1 : 0;
            blocked += error.StartsWith("Too many failed sign-ins", StringComparison.Ordinal) ? 1 : 0;
        }

        using var http = new HttpClient();
        var scrape = await PrometheusScrape.FromAsync(http, server.BaseUrl + "/metrics");

        Assert.Multiple(() =>
        {
            Assert.That(blocked, Is.EqualTo(1), "the lockout answered");
            Assert.That(scrape.Value("rulesmfa_logins_total", ("tenant", Tenant), ("outcome", "succeeded")), Is.EqualTo(3), "enroll, challenge, fault");
            Assert.That(scrape.Value("rulesmfa_logins_total", ("tenant", Tenant), ("outcome", "failed")), Is.EqualTo(wrongPasswords));
            Assert.That(scrape.Value("rulesmfa_logins_total", ("tenant", Tenant), ("outcome", "locked_out")), Is.EqualTo(1));
            Assert.That(scrape.Value("rulesmfa_lockouts_total", ("tenant", Tenant), ("kind", "password")), Is.EqualTo(1));
            Assert.That(scrape.Value("rulesmfa_rule_decisions_total", ("tenant", Tenant), ("protocol", "oidc-basic-profile"), ("outcome", "mfa")), Is.EqualTo(2));
            Assert.That(scrape.Value("rulesmfa_rule_decisions_total", ("tenant", Tenant), ("protocol", "oidc-basic-profile"), ("outcome", "deny")), Is.EqualTo(1));
            Assert.That(scrape.LabelValues("rulesmfa_rule_faults_total", Tenant, "limit"), Is.EqualTo(new[] { "array-size" }));
            Assert.That(scrape.Value("rulesmfa_rule_faults_total", ("tenant", Tenant), ("limit", "array-size")), Is.EqualTo(1));
            Assert.That(scrape.Value("rulesmfa_rule_evaluation_duration_seconds_count", ("tenant", Tenant)), Is.EqualTo(3), "one run per login that passed the password");
            Assert.That(scrape.Value("rulesmfa_rule_evaluation_duration_seconds_sum", ("tenant", Tenant)), Is.GreaterThan(0));
            Assert.That(scrape.Value("rulesmfa_mfa_challenges_total", ("tenant", Tenant), ("step", "enroll")), Is.EqualTo(1));
            Assert.That(scrape.Value("rulesmfa_mfa_challenges_total", ("tenant", Tenant), ("step", "challenge"), ("factor", "otp")), Is.EqualTo(1));
            Assert.That(scrape.Value("rulesmfa_mfa_verifications_total", ("tenant", Tenant), ("factor", "otp"), ("result", "succeeded")), Is.EqualTo(2), "enrollment and challenge");
            Assert.That(scrape.Value("rulesmfa_mfa_verifications_total", ("tenant", Tenant), ("factor", "otp"), ("result", "failed")), Is.EqualTo(1));
            Assert.That(scrape.LabelValues("rulesmfa_mfa_verifications_total", Tenant, "result"), Is.EqualTo(new[] { "failed", "succeeded" }));
            Assert.That(scrape.Samples.Any(sample => sample.Name.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal)), Is.True,
                "ASP.NET Core's request metrics are exported too");
        });
    }

    [Test]
    public async Task Metrics_NotEnabled_IsNotFound()
    {
        await using var server = await RulesMfaServer.StartAsync();
        using var http = new HttpClient();

        var response = await http.GetAsync(server.BaseUrl + "/metrics");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
