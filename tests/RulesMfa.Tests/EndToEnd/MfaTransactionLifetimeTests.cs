using RulesMfa.Tests.Factors;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// A pending MFA holds the rules' decision of the moment it began, so it lasts 10 minutes from then: a step taken
/// meanwhile (here the challenge passed before an enrollment) moves it on without renewing it.
/// </summary>
[NonParallelizable]
public sealed class MfaTransactionLifetimeTests
{
    private const string Tenant = "slow";
    private const string Email = "slow@slow.example";
    private const string Password = "a long enough password";

    private const string RulesByMetadata = """
        exports.onExecutePostLogin = async (event, api) => {
          api.authentication.enrollWith({ type: event.user.app_metadata.enroll });
        };
        """;

    private ManualTimeProvider clock = null!;
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        server = await RulesMfaServer.StartAsync(clock);
        await server.AddTenantAsync(Tenant);
        await server.SetRulesAsync(Tenant, ("010-enroll", RulesByMetadata));
        app = await RelyingParty.StartAsync(server, Tenant, "slow-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task ChallengePassedBeforeAnEnrollment_DoesNotRenewThePendingMfa_WhichEndsTenMinutesAfterItBegan()
    {
        const string address = "slow-mail@slow.example";
        await server.AddUserAsync(Tenant, Email, Password, appMetadata: new { enroll = "email" });
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, app, Email, Password);
            var sent = await enrolling.SubmitAsync(enrollment, new Dictionary<string, string> { ["Address"] = address }, formWithField: "Address");
            await LoginFlow.SubmitCodeAsync(enrolling, sent, LoginFlow.EmailedCode(server, address));
        }

        // The rules now demand an authenticator app: the user first passes a challenge of the email factor, then enrolls.
        await server.UpdateUserAsync(Tenant, Email, user => user.AppMetadataJson = """{"enroll":"otp"}""");
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, Email, Password);
        clock.Advance(TimeSpan.FromMinutes(9));
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string>());
        var enrollAfterChallenge = await LoginFlow.SubmitCodeAsync(browser, codeForm, LoginFlow.EmailedCode(server, address));
        // A second past the 10 minutes: the cookie keeps its expiry to the whole second (cut), so at the very mark it lapses
        // only when MFA began on a fraction of a second.
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var enrollLater = await browser.GetAsync(enrollAfterChallenge.Url.ToString());

        Assert.Multiple(() =>
        {
            Assert.That(enrollAfterChallenge.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa/enroll"), "9 minutes in, the challenge passes");
            Assert.That(enrollAfterChallenge.Text("secret-key"), Is.Not.Null, enrollAfterChallenge.Html);
            Assert.That(enrollLater.Text("mfa-error"), Is.EqualTo("Your sign-in has expired. Go back to the application and sign in again."),
                "10 minutes after MFA began, although the challenge was passed a minute ago");
            Assert.That(enrollLater.Text("secret-key"), Is.Null);
        });
    }
}
