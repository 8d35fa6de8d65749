using System.IdentityModel.Tokens.Jwt;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// A hostile rule names a claim the provider keeps for itself in the tokens (the session facts a refresh reads back:
/// when the password and MFA were done): it is dropped like <c>amr</c> and <c>acr</c>, so a refresh of a session that
/// did no MFA never counts as one that did.
/// </summary>
[NonParallelizable]
public sealed class HostileClaimAttackTests
{
    private const string Password = "a long enough password";

    /// <summary>
    /// No MFA at the login, where the claims named in the user's <c>app_metadata.forge</c> are set (<c>"now"</c>: the time
    /// in milliseconds); at a refresh, MFA when <c>app_metadata.refreshMfa</c> says so.
    /// </summary>
    private const string Forges = """
        function forge(user, context, callback) {
          if (context.protocol === 'oauth2-refresh-token') {
            if (user.app_metadata.refreshMfa) {
              context.multifactor = { provider: 'any', allowRememberBrowser: false };
            }
          } else {
            const forged = user.app_metadata.forge || {};
            for (const name of Object.keys(forged)) {
              context.idToken[name] = forged[name] === 'now' ? Date.now() : forged[name];
            }
          }
          callback(null, user, context);
        }
        """;

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("mint", displayName: "Mint");
        await server.SetRulesAsync("mint", ("010-forge", Forges));
        app = await RelyingParty.StartAsync(server, "mint", "mint-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    /// <remarks>A token's claims are read back by name ignoring case (<c>ClaimsIdentity.FindFirst</c>), so every spelling is forged alike.</remarks>
    [TestCase("rulesmfa_mfa_at", "lower")]
    [TestCase("RULESMFA_MFA_AT", "upper")]
    [TestCase("Rulesmfa_Mfa_At", "mixed")]
    public async Task RuleSettingTheProvidersMfaAtClaim_IsDropped_AndARefreshDemandingMfaIsStillRefused(string claim, string spelling)
    {
        var me = await SignInAsync($"forger-{spelling}@mint.example", new { forge = new Dictionary<string, string> { [claim] = "now" }, refreshMfa = true });

        var refreshed = await app.RefreshAsync(me.GetProperty("refreshToken").GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(LoginFlow.Amr(me), Is.EqualTo(new[] { "pwd" }), "the login did no MFA");
            Assert.That(me.GetProperty("idToken").TryGetProperty(claim, out _), Is.False, "the rule's claim was dropped");
            Assert.That(AcrOf(refreshed), Is.Null, $"no token claims MFA: {refreshed}");
            Assert.That(refreshed.TryGetProperty("error", out var error) ? error.GetString() : null, Is.EqualTo("invalid_grant"), refreshed.ToString());
            Assert.That(refreshed.TryGetProperty("error_description", out var description) ? description.GetString() : null,
                Is.EqualTo("Multi-factor authentication is required; sign in again."));
        });
    }

    private async Task<System.Text.Json.JsonElement> SignInAsync(string email, object appMetadata)
    {
        await server.AddUserAsync("mint", email, Password, appMetadata);
        using var browser = new FormBrowser();
        await LoginFlow.SignInAsync(browser, app, email, Password);
        return await LoginFlow.MeAsync(browser, app);
    }

    private static string? AcrOf(System.Text.Json.JsonElement response) =>
        response.TryGetProperty("id_token", out var idToken) ? new JwtSecurityTokenHandler().ReadJwtToken(idToken.GetString()).Payload.Acr : null;
}
