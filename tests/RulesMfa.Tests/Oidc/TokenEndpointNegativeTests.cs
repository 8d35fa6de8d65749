using System.Net;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Oidc;

/// <summary>
/// What the token endpoint refuses, each beside a control that succeeds with the same setup: a code used twice, another
/// redirect URI, a wrong PKCE verifier, a wrong client secret, a client of another tenant, an expired code.
/// </summary>
[NonParallelizable]
public sealed class TokenEndpointNegativeTests
{
    private const string Password = "a long enough password";
    private const string RedirectUri = "http://127.0.0.1:9/signin-oidc";

    private readonly ShiftedTimeProvider clock = new();
    private RulesMfaServer server = null!;
    private CodeFlowClient client = null!;
    private CodeFlowClient southClient = null!;
    private CodeFlowClient southClientAtNorth = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync(clock);
        foreach (var tenant in new[] { "north", "south" })
        {
            await server.AddTenantAsync(tenant);
            await server.AddUserAsync(tenant, $"user@{tenant}.example", Password);
        }

        client = new CodeFlowClient(server.Issuer("north"), "north-app", await server.AddClientAsync("north", "north-app", "http://127.0.0.1:9"), RedirectUri);
        var southSecret = await server.AddClientAsync("south", "south-app", "http://127.0.0.1:9");
        southClient = new CodeFlowClient(server.Issuer("south"), "south-app", southSecret, RedirectUri);
        southClientAtNorth = new CodeFlowClient(server.Issuer("north"), "south-app", southSecret, RedirectUri);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        client.Dispose();
        southClient.Dispose();
        southClientAtNorth.Dispose();
        await server.DisposeAsync();
    }

    [SetUp]
    public void ResetClock() => clock.Offset = TimeSpan.Zero;

    [Test]
    public async Task Code_RedeemedOnce_GivesTokens_AndASecondTimeIsInvalidGrant()
    {
        var verifier = CodeFlowClient.NewVerifier();
        var code = await client.GetCodeAsync("user@north.example", Password, verifier);

        var (firstStatus, first) = await client.RedeemAsync(code, verifier);
        var (againStatus, again) = await client.RedeemAsync(code, verifier);

        Assert.Multiple(() =>
        {
            Assert.That(firstStatus, Is.EqualTo(HttpStatusCode.OK), first.ToString());
            Assert.That(first.TryGetProperty("id_token", out _), Is.True);
            Assert.That(againStatus, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(again.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
        });
    }

    [Test]
    public async Task Code_WithAnotherRedirectUri_IsInvalidGrant_ThenTheRightOneWorks()
    {
        var verifier = CodeFlowClient.NewVerifier();
        var code = await client.GetCodeAsync("user@north.example", Password, verifier);

        var (wrongStatus, wrong) = await client.RedeemAsync(code, verifier, redirect: "http://127.0.0.1:9/elsewhere");
        var (rightStatus, _) = await RedeemFreshAsync();

        Assert.Multiple(() =>
        {
            Assert.That(wrongStatus, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(wrong.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(wrong.GetProperty("error_description").GetString(), Does.Contain("redirect_uri"));
            Assert.That(rightStatus, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Code_WithAWrongVerifier_IsInvalidGrant()
    {
        var verifier = CodeFlowClient.NewVerifier();
        var code = await client.GetCodeAsync("user@north.example", Password, verifier);

        var (status, body) = await client.RedeemAsync(code, CodeFlowClient.NewVerifier());
        var (control, _) = await RedeemFreshAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(body.GetProperty("error_description").GetString(), Does.Contain("code_verifier"));
            Assert.That(control, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Code_WithAWrongClientSecret_IsInvalidClient()
    {
        var verifier = CodeFlowClient.NewVerifier();
        var code = await client.GetCodeAsync("user@north.example", Password, verifier);

        var (status, body) = await client.RedeemAsync(code, verifier, secret: "not-the-secret");
        var (control, _) = await client.RedeemAsync(code, verifier);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest).Or.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("invalid_client"));
            Assert.That(control, Is.EqualTo(HttpStatusCode.OK), "a refused client authentication does not use up the code");
        });
    }

    [Test]
    public async Task ClientOfAnotherTenant_IsRefusedAtAuthorize_AndAtTheToken()
    {
        var verifier = CodeFlowClient.NewVerifier();
        var southsCode = await southClient.GetCodeAsync("user@south.example", Password, verifier);

        var authorize = await AuthorizeAsync("north", "south-app");
        var (tokenStatus, token) = await southClientAtNorth.RedeemAsync(southsCode, verifier);
        var control = await AuthorizeAsync("north", "north-app");

        Assert.Multiple(() =>
        {
            Assert.That(authorize, Does.Contain("The client is not registered for this tenant."));
            Assert.That(tokenStatus, Is.Not.EqualTo(HttpStatusCode.OK), token.ToString());
            Assert.That(token.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(token.GetProperty("error_description").GetString(), Is.EqualTo("The issuer associated to the specified token is not valid."), "a code is bound to its tenant's issuer");
            Assert.That(control, Does.Not.Contain("invalid_client"));
        });
    }

    [Test]
    public async Task Code_AfterItsLifetime_IsInvalidGrant()
    {
        var verifier = CodeFlowClient.NewVerifier();
        var code = await client.GetCodeAsync("user@north.example", Password, verifier);
        var freshVerifier = CodeFlowClient.NewVerifier();
        var fresh = await client.GetCodeAsync("user@north.example", Password, freshVerifier);

        clock.Offset = TimeSpan.FromMinutes(6);
        var (status, body) = await client.RedeemAsync(code, verifier);
        clock.Offset = TimeSpan.FromMinutes(4);
        var (control, _) = await client.RedeemAsync(fresh, freshVerifier);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("error").GetString(), Is.EqualTo("invalid_grant"));
            Assert.That(body.GetProperty("error_description").GetString(), Does.Contain("no longer valid").Or.Contains("expired"));
            Assert.That(control, Is.EqualTo(HttpStatusCode.OK), "a code is good for its 5 minutes");
        });
    }

    private async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> RedeemFreshAsync()
    {
        var verifier = CodeFlowClient.NewVerifier();
        return await client.RedeemAsync(await client.GetCodeAsync("user@north.example", Password, verifier), verifier);
    }

    /// <summary>The authorization request of <paramref name="clientId"/> at <paramref name="tenant"/>: where it ends, and what it says.</summary>
    private async Task<string> AuthorizeAsync(string tenant, string clientId)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var response = await http.GetAsync($"{server.Issuer(tenant)}/connect/authorize?response_type=code&client_id={clientId}" +
            $"&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope=openid&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=x");
        return $"{(int)response.StatusCode} {response.Headers.Location} {await response.Content.ReadAsStringAsync()}";
    }
}
