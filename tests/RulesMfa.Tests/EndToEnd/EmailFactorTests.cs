using RulesMfa.Host.Storage;
using RulesMfa.Tests.Support;
namespace RulesMfa.Tests.EndToEnd;

/// <summary>The email factor through the real pages: chosen with "try another method", and enrolled by confirming the address.</summary>
[NonParallelizable]
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class EmailFactorTests(StorageProvider provider)
{
    private const string Password = "a long enough password";
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartOnAsync(provider);
        await server.AddTenantAsync("mail");
        await server.SetRulesAsync("mail", ("010-mfa", "function (user, context, callback) { context.multifactor = { provider: 'any' }; callback(null, user, context); }"));
        app = await RelyingParty.StartAsync(server, "mail", "mail-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task Challenge_TryAnotherMethod_SignsInWithAnEmailedCode()
    {
        await server.AddUserAsync("mail", "otp-first@mail.example", Password);
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, app, "otp-first@mail.example", Password);
            await LoginFlow.SubmitCodeAsync(enrolling, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        }

        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, "otp-first@mail.example", Password);
        var emailChoice = await LoginFlow.FollowAsync(browser, challenge, "use-email");
        var codeForm = await browser.SubmitAsync(emailChoice, new Dictionary<string, string>());
        var signedIn = await LoginFlow.SubmitCodeAsync(browser, codeForm, LoginFlow.EmailedCode(server, "otp-first@mail.example"));
        var me = await LoginFlow.MeAsync(browser, app);

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Document.GetElementById("code"), Is.Not.Null, "the authenticator app, the most secure enrolled factor, comes first");
            Assert.That(emailChoice.Html, Does.Contain("o********@mail.example"), "the address is masked");
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"));
            Assert.That(LoginFlow.Amr(me), Does.Contain("mfa"));
        });
    }

    [Test]
    public async Task Enroll_Email_ConfirmsTheAddressWithACode()
    {
        await server.AddUserAsync("mail", "email-only@mail.example", Password);
        using var browser = new FormBrowser();

        var enrollment = await LoginFlow.SignInAsync(browser, app, "email-only@mail.example", Password);
        var emailEnrollment = await LoginFlow.FollowAsync(browser, enrollment, "use-email");
        var sent = await browser.SubmitAsync(emailEnrollment, new Dictionary<string, string> { ["Address"] = "second@mail.example" }, formWithField: "Address");
        var wrong = await LoginFlow.SubmitCodeAsync(browser, sent, LoginFlow.EmailedCode(server, "second@mail.example") == "000000" ? "111111" : "000000");
        var saved = await LoginFlow.SubmitCodeAsync(browser, wrong, LoginFlow.EmailedCode(server, "second@mail.example"));
        var recoveryCode = saved.Text("recovery-code");
        await LoginFlow.FollowAsync(browser, saved, "continue");
        var me = await LoginFlow.MeAsync(browser, app);

        using var next = new FormBrowser();
        var nextChallenge = await LoginFlow.SignInAsync(next, app, "email-only@mail.example", Password);

        Assert.Multiple(() =>
        {
            Assert.That(wrong.Text("mfa-error"), Does.Contain("not right"));
            Assert.That(recoveryCode, Is.Not.Null, "the first enrollment issues the recovery code");
            Assert.That(LoginFlow.Amr(me), Does.Contain("mfa"));
            Assert.That(nextChallenge.Html, Does.Contain("s*****@mail.example"), "the next login challenges with the confirmed address");
        });
    }
}
