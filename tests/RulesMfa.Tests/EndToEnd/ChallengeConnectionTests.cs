using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Storage.PostgreSql;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// What checking a code costs the database, through the real challenge page: its statements share one pooled connection
/// (one rental, and on PostgreSQL one reset, instead of one per statement), given back before the page is prepared again.
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(StorageProviders), nameof(StorageProviders.Both))]
public sealed class ChallengeConnectionTests(StorageProvider provider)
{
    private const string Tenant = "pool";
    private const string Password = "a long enough password";
    private const string TotpUpdate = "UPDATE \"TotpEnrollments\"";

    private readonly ConnectionRecorder recorder = new();
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartOnAsync(provider, services =>
        {
            services.ConfigureDbContext<RulesMfaDbContext>(options => options.AddInterceptors(recorder));
            services.ConfigureDbContext<PostgreSqlDbContext>(options => options.AddInterceptors(recorder));
        });
        await server.AddTenantAsync(Tenant);
        await server.SetRulesAsync(Tenant, ("010-mfa", "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: true }; callback(null, user, context); }"));
        app = await RelyingParty.StartAsync(server, Tenant, "pool-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task RightTotpCode_ItsFiveStatementsShareOneConnection()
    {
        using var browser = new FormBrowser();
        var (challenge, key) = await ChallengedAsync(browser, "right@pool.example");
        recorder.Clear();

        var done = await LoginFlow.SubmitCodeAsync(browser, challenge, LoginFlow.CodeFor(key, 1));

        // The user with the tenant, the attempt taken, the enrollment read, its single-use update, the attempt given back.
        var verification = recorder.OfTheContextThatRan(TotpUpdate);
        Assert.Multiple(() =>
        {
            Assert.That(done.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), done.Html);
            Assert.That(ConnectionRecorder.Opens(verification), Is.EqualTo(1), string.Join("\n", verification));
            Assert.That(ConnectionRecorder.Statements(verification), Has.Count.EqualTo(5), string.Join("\n", verification));
        });
    }

    [Test]
    public async Task RightTotpCode_ConnectionGivenBackBeforeWhatFollowsTheCheck()
    {
        using var browser = new FormBrowser();
        var (challenge, key) = await ChallengedAsync(browser, "remember@pool.example");
        recorder.Clear();

        var done = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key, 1), ["RememberBrowser"] = "true" },
            formWithField: "Code");

        // After the check's five statements come the factors offered next and the remembered browser's row: not on the held connection.
        var request = recorder.OfTheContextThatRan(TotpUpdate);
        var remembered = request.ToList().FindIndex(item => item.Contains("\"RememberedBrowsers\"", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(done.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), done.Html);
            Assert.That(remembered, Is.GreaterThan(0), string.Join("\n", request));
            Assert.That(ConnectionRecorder.Statements(request.Take(remembered).ToList()), Has.Count.EqualTo(5), string.Join("\n", request));
            Assert.That(request.Take(remembered), Does.Contain(ConnectionRecorder.Closed), "given back before:\n" + string.Join("\n", request));
        });
    }

    [Test]
    public async Task WrongTotpCode_ItsStatementsShareOneConnection()
    {
        using var browser = new FormBrowser();
        var (challenge, key) = await ChallengedAsync(browser, "wrong@pool.example");
        var right = LoginFlow.CodeFor(key, 1);
        recorder.Clear();

        var refused = await LoginFlow.SubmitCodeAsync(browser, challenge, right == "000000" ? "111111" : "000000");

        // The user with the tenant, the attempt taken, the enrollment read; nothing to update, nothing given back.
        var verification = recorder.OfTheContextThatRan("FROM \"TotpEnrollments\"");
        Assert.Multiple(() =>
        {
            Assert.That(refused.Text("mfa-error"), Does.Contain("not right"), refused.Html);
            Assert.That(ConnectionRecorder.Opens(verification), Is.EqualTo(1), string.Join("\n", verification));
            Assert.That(ConnectionRecorder.Statements(verification), Has.Count.EqualTo(3), string.Join("\n", verification));
        });
    }

    [Test]
    public async Task WrongEmailCode_ConnectionGivenBackBeforeTheFactorPreparesThePage()
    {
        using var browser = new FormBrowser();
        var (challenge, _) = await ChallengedAsync(browser, "mail@pool.example");
        var emailChoice = await LoginFlow.FollowAsync(browser, challenge, "use-email");
        var codeForm = await browser.SubmitAsync(emailChoice, new Dictionary<string, string>());
        var sent = LoginFlow.EmailedCode(server, "mail@pool.example");
        recorder.Clear();

        var refused = await LoginFlow.SubmitCodeAsync(browser, codeForm, sent == "000000" ? "111111" : "000000");

        // The check reads the user's latest code (EmailCodes); preparing the page shown again reads the address (EmailFactors),
        // factor code that may call out: by then the connection is given back.
        var request = recorder.OfTheContextThatRan("\"EmailCodes\"");
        var check = request.ToList().FindLastIndex(item => item.Contains("\"EmailCodes\"", StringComparison.Ordinal));
        var preparation = request.ToList().FindIndex(check, item => item.Contains("\"EmailFactors\"", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(refused.Text("mfa-error"), Does.Contain("not right"), refused.Html);
            Assert.That(ConnectionRecorder.Opens(request.Take(check)), Is.EqualTo(1), "the check on one connection:\n" + string.Join("\n", request));
            Assert.That(preparation, Is.GreaterThan(check), string.Join("\n", request));
            Assert.That(request.Skip(check).Take(preparation - check), Does.Contain(ConnectionRecorder.Closed), "given back before:\n" + string.Join("\n", request));
        });
    }

    /// <summary>A user enrolled with an authenticator app, signed in again up to the challenge.</summary>
    private async Task<(FormBrowser.Page Challenge, byte[] Key)> ChallengedAsync(FormBrowser browser, string email)
    {
        await server.AddUserAsync(Tenant, email, Password);
        byte[] key;
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, app, email, Password);
            key = LoginFlow.KeyFrom(enrollment);
            await LoginFlow.SubmitCodeAsync(enrolling, enrollment, LoginFlow.CodeFor(key));
        }

        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        Assert.That(challenge.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), challenge.Html);
        return (challenge, key);
    }
}
