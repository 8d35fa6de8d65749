namespace RulesMfa.Tests.DuoStandIn;

/// <summary>
/// The stand-in is as strict as Duo's documentation: a client assertion with a wrong signature, audience or expiry is
/// refused at the health check and the token endpoint, so the end-to-end tests' passes mean the client's JWTs are right.
/// </summary>
[NonParallelizable]
public sealed class DuoStandInTests
{
    private DuoStandInServer duo = null!;
    private HttpClient http = null!;
    private (string ClientId, string Secret) application;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        duo = await DuoStandInServer.StartAsync();
        application = duo.AddApplication();
        http = new HttpClient(new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = duo.Certificates.ChainPolicy() } });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        http.Dispose();
        await duo.DisposeAsync();
    }

    [TestCase("health_check", null, null, 5, "ok", TestName = "HealthCheck_RightAssertion_IsOk")]
    [TestCase("health_check", "0000000000000000000000000000000000000000", null, 5, "wrong signature", TestName = "HealthCheck_AssertionSignedWithAnotherSecret_IsRefused")]
    [TestCase("health_check", null, "token", 5, "wrong audience", TestName = "HealthCheck_AssertionForAnotherEndpoint_IsRefused")]
    [TestCase("health_check", null, null, -1, "expired", TestName = "HealthCheck_ExpiredAssertion_IsRefused")]
    [TestCase("token", "0000000000000000000000000000000000000000", null, 5, "wrong signature", TestName = "Token_AssertionSignedWithAnotherSecret_IsRefused")]
    [TestCase("token", null, "health_check", 5, "wrong audience", TestName = "Token_AssertionForAnotherEndpoint_IsRefused")]
    [TestCase("token", null, null, -1, "expired", TestName = "Token_ExpiredAssertion_IsRefused")]
    public async Task Assertion_IsCheckedLikeDuoChecksIt(string endpoint, string? signingSecret, string? audienceEndpoint, int expiresInMinutes, string outcome)
    {
        var assertion = DuoStandInServer.Sign(application.ClientId, signingSecret ?? application.Secret, duo.Url(audienceEndpoint ?? endpoint),
            DateTimeOffset.UtcNow.AddMinutes(expiresInMinutes), new Dictionary<string, object> { ["sub"] = application.ClientId });

        using var answer = await http.PostAsync(duo.Url(endpoint), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = application.ClientId, ["client_assertion"] = assertion,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", ["grant_type"] = "authorization_code",
            ["code"] = "no-such-code", ["redirect_uri"] = "https://app.example/callback",
        }));

        Assert.Multiple(() =>
        {
            Assert.That(duo.Calls.Last().Outcome, Is.EqualTo(endpoint == "token" && outcome == "ok" ? "code unknown or already used" : outcome));
            Assert.That((int)answer.StatusCode, Is.EqualTo(outcome == "ok" ? 200 : 400));
        });
    }
}
