namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// Refresh tokens rotate, and a rotated one used again is taken as stolen, as Auth0 does with its default reuse interval of
/// 0: it is refused, and so is every token of its chain, the thief's and the app's alike, until the user signs in again.
/// </summary>
[NonParallelizable]
public sealed class RefreshTokenReuseAttackTests
{
    private const string Tenant = "rotate";
    private const string Email = "ada@rotate.example";
    private const string Password = "a long enough password";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        await server.AddUserAsync(Tenant, Email, Password);
        app = await RelyingParty.StartAsync(server, Tenant, "rotate-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task RotatedRefreshTokenUsedAgainAtOnce_IsRefused_AndRevokesTheTokenThatReplacedIt()
    {
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, app, Email, Password);
        var stolen = (await LoginFlow.MeAsync(browser, app)).GetProperty("refreshToken").GetString()!;
        var rotated = await app.RefreshAsync(stolen);

        var reused = await app.RefreshAsync(stolen);
        var afterReuse = await app.RefreshAsync(rotated.GetProperty("refresh_token").GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(rotated.TryGetProperty("refresh_token", out _), Is.True, "the first use rotates it: " + rotated);
            Assert.That(Text(reused, "error"), Is.EqualTo("invalid_grant"), "used again within a second: " + reused);
            Assert.That(Text(reused, "error_description"), Is.EqualTo("The specified refresh token has already been redeemed."));
            Assert.That(Text(afterReuse, "error"), Is.EqualTo("invalid_grant"), "the chain is revoked: " + afterReuse);
            Assert.That(Text(afterReuse, "error_description"), Is.EqualTo("The specified refresh token is no longer valid."));
        });
    }

    private static string? Text(System.Text.Json.JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) ? value.GetString() : null;
}
