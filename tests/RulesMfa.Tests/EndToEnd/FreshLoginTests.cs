namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// An application asks a signed-in user to log in again (<c>max_age</c>, <c>prompt</c> with <c>login</c> among other
/// values): the password page is shown, and once the password is given the login ends at the application, instead of the
/// request demanding a fresh login again when the user comes back to it.
/// </summary>
[NonParallelizable]
public sealed class FreshLoginTests
{
    private const string Tenant = "fresh";
    private const string Password = "a long enough password";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        app = await RelyingParty.StartAsync(server, Tenant, "fresh-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [TestCase("/login?max_age=0", "max-age")]
    [TestCase("/login?prompt=login%20consent", "prompt")]
    public async Task SignedInUser_AskedToLogInAgain_IsSignedInAfterThePassword(string path, string name)
    {
        var email = $"{name}@fresh.example";
        await server.AddUserAsync(Tenant, email, Password);
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, app, email, Password);
        var first = await LoginFlow.MeAsync(browser, app);

        // SignInAsync asserts that the password page is shown despite the session.
        var landed = await LoginFlow.SignInAsync(browser, app, email, Password, path);
        var again = await LoginFlow.MeAsync(browser, app);

        Assert.Multiple(() =>
        {
            Assert.That(landed.Url.GetLeftPart(UriPartial.Authority), Is.EqualTo(app.BaseUrl), $"the login ended at the application, not on {landed.Url}:\n{landed.Html}");
            Assert.That(landed.Document.GetElementById("password"), Is.Null, "no password page again");
            Assert.That(Claim(again, "nonce"), Is.Not.EqualTo(Claim(first, "nonce")), "the app holds the ID token of the new request");
            Assert.That(long.Parse(Claim(again, "auth_time")), Is.GreaterThanOrEqualTo(long.Parse(Claim(first, "auth_time"))));
        });
    }

    private static string Claim(System.Text.Json.JsonElement me, string name) => me.GetProperty("idToken").GetProperty(name).ToString();
}
