namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// A login's completed MFA belongs to the one authorization request the rules decided: a user who finished MFA for a request
/// the rules let in cannot carry it to another request (a parameter changed, as the <c>returnUrl</c> of the MFA pages is
/// the user's to edit) and have that request skip the rules.
/// </summary>
[NonParallelizable]
public sealed class AuthorizeRequestBindingAttackTests
{
    private const string Password = "a long enough password";
    private const string Payroll = "org_payroll";

    /// <summary>MFA for everyone; the payroll organization (Auth0's <c>organization</c> parameter) is closed to this app.</summary>
    private const string Rules = """
        function closePayroll(user, context, callback) {
          if (context.request.query.organization === 'org_payroll') {
            return callback(new UnauthorizedError('Payroll is not open to this app.'));
          }
          context.multifactor = { provider: 'any', allowRememberBrowser: false };
          callback(null, user, context);
        }
        """;

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("ledger", displayName: "Ledger");
        await server.SetRulesAsync("ledger", ("010-payroll", Rules));
        app = await RelyingParty.StartAsync(server, "ledger", "ledger-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task CompletedMfa_CarriedToARequestWithAnotherParameter_RunsTheRulesAgain_AndTheirDenyReachesTheApp()
    {
        const string email = "clerk@ledger.example";
        await server.AddUserAsync("ledger", email, Password);
        using var browser = new FormBrowser();
        var enrollment = await LoginFlow.SignInAsync(browser, app, email, Password);
        Assert.That(enrollment.Url.AbsolutePath, Is.EqualTo("/ledger/mfa/enroll"), enrollment.Html);
        var returnUrl = enrollment.Document.QuerySelector("input[name=ReturnUrl]")?.GetAttribute("value")
            ?? throw new AssertionException($"no return URL on the enrollment page:\n{enrollment.Html}");
        var crafted = $"{returnUrl}&organization={Payroll}";

        // The enrollment form posted as the page would, but with the crafted return URL.
        var saved = await browser.SubmitAsync(enrollment,
            new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)), ["ReturnUrl"] = crafted }, formWithField: "Code");
        var result = await LoginFlow.FollowAsync(browser, saved, "continue");
        var me = await browser.GetAsync(app.BaseUrl + "/me.json");

        Assert.Multiple(() =>
        {
            Assert.That(saved.Text("recovery-code"), Is.Not.Null, "the enrollment itself passed");
            Assert.That(result.Text("error"), Is.EqualTo("unauthorized"), result.Html);
            Assert.That(result.Text("error-description"), Is.EqualTo("Payroll is not open to this app."), "the rules ran for the request that was sent");
            Assert.That((int)me.Status, Is.Not.EqualTo(200), "the app signed nobody in");
        });
    }
}
