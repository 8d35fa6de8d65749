using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RulesMfa.Host.Admin;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Oidc;

/// <summary>
/// The OpenID Connect endpoints that read a form (token, authorize, userinfo, logout) refuse a body over the server's limit
/// with 413 and an OAuth error naming the limit, whether it came in chunks or announced its length, as the other
/// endpoints do; controls of the same shape under the limit are read and judged by OpenIddict.
/// </summary>
[NonParallelizable]
public sealed class OidcEndpointBodyLimitTests
{
    private RulesMfaServer server = null!;
    private readonly HttpClient http = new();

    [OneTimeSetUp]
    public async Task StartAsync() => server = await RulesMfaServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    [TestCase("token", true)]
    [TestCase("token", false)]
    [TestCase("authorize", true)]
    [TestCase("authorize", false)]
    [TestCase("userinfo", false)]
    [TestCase("logout", true)]
    [TestCase("logout", false)]
    public async Task BodyOverTheLimit_Is413NamingTheLimit(string endpoint, bool chunked)
    {
        var (status, body) = await PostAsync(FormOf(2_100_000), chunked, endpoint);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), body?.ToJsonString());
            Assert.That(body?.ToJsonString(), Is.EqualTo(
                $$"""{"error":"invalid_request","error_description":"The request body is too large: at most {{JsonBody.MaxBytes:N0}} bytes."}"""));
        });
    }

    [Test]
    public async Task Token_ChunkedBodyUnderTheLimit_IsReadAndJudgedByOpenIddict()
    {
        var (status, body) = await PostAsync(FormOf(1_000_000), chunked: true);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), body?.ToJsonString());
            Assert.That(body?["error"]?.GetValue<string>(), Is.EqualTo("invalid_client"), "the form was read: the unknown client is what OpenIddict refused");
        });
    }

    /// <summary>A client-credentials form of about <paramref name="bytes"/> bytes (the padding in an ignored parameter).</summary>
    private static string FormOf(int bytes) => "grant_type=client_credentials&client_id=nobody&client_secret=x&padding=" + new string('a', bytes);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string form, bool chunked, string endpoint = "token")
    {
        var bytes = Encoding.ASCII.GetBytes(form);
        HttpContent content = chunked ? new StreamContent(new UnseekableStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Issuer("demo")}/connect/{endpoint}") { Content = content };
        // A declared length over the limit is refused before the body is read; without waiting for "100 Continue" the
        // client may still be writing it when the server answers and closes, and sees a broken pipe instead of the 413.
        request.Headers.ExpectContinue = !chunked;
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text) : null);
    }

    /// <summary>A body whose length the client cannot know beforehand, so it is sent in chunks.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
