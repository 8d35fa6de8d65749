using System.Net;
using System.Text;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Oidc;

/// <summary>
/// An authorization request OpenIddict refuses without a place to send the user back (an unknown client) gets the error
/// page saying why, whether it came as a GET or as a form post (which carries no antiforgery token); a form post of
/// about a megabyte is read, not refused for its size.
/// </summary>
[NonParallelizable]
public sealed class AuthorizeRefusalPageTests
{
    private const string UnknownClientQuery = "client_id=nobody&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb";

    private RulesMfaServer server = null!;
    private readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false });

    [OneTimeSetUp]
    public async Task StartAsync() => server = await RulesMfaServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task UnknownClient_ByGet_IsThePageNamingTheRefusal()
    {
        using var response = await http.GetAsync($"{server.Issuer("demo")}/connect/authorize?{UnknownClientQuery}");

        await AssertRefusalPageAsync(response);
    }

    [TestCase(0)]
    [TestCase(1_000_000)]
    public async Task UnknownClient_ByFormPost_IsThePageNamingTheRefusal(int padding)
    {
        using var form = new StringContent(UnknownClientQuery + "&padding=" + new string('a', padding), Encoding.ASCII, "application/x-www-form-urlencoded");
        using var response = await http.PostAsync($"{server.Issuer("demo")}/connect/authorize", form);

        await AssertRefusalPageAsync(response);
    }

    private static async Task AssertRefusalPageAsync(HttpResponseMessage response)
    {
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(page, Does.Contain("Your request could not be completed"));
            Assert.That(page, Does.Contain("invalid_request").And.Contain("client_id"));
        });
    }
}
