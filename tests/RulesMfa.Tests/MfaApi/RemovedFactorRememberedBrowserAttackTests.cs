using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.EndToEnd;
using static RulesMfa.Tests.MfaApi.MfaApiScenario;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// A browser remembered after MFA with a factor the owner has since removed (<c>DELETE /mfa/authenticators/{id}</c>) asks
/// for MFA again: an attacker who passed MFA once with the owner's authenticator (a copied key, a SIM swap of a phone)
/// and ticked "remember this browser" would otherwise keep signing in with the password alone for the tenant's
/// remember-browser days after the owner took that factor away.
/// </summary>
[NonParallelizable]
public sealed class RemovedFactorRememberedBrowserAttackTests
{
    private const string Tenant = "removal";
    private const string MfaRememberable = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: true }; callback(null, user, context); }";

    private RulesMfaServer server = null!;
    private MfaApiHttp api = null!;
    private RelyingParty app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant, displayName: "Removal");
        await server.SetRulesAsync(Tenant, ("010-mfa", MfaRememberable));
        var (id, secret) = await MfaApiHttp.AddPasswordClientAsync(server, Tenant, "removal-cli");
        api = new MfaApiHttp(server.Issuer(Tenant), id, secret);
        app = await RelyingParty.StartAsync(server, Tenant, "removal-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task RemoveAuthenticator_BrowserRememberedBeforeIt_IsAskedForMfaAgain()
    {
        // The owner: an authenticator app and an email factor (added with the recovery code, so each code step is used once).
        const string email = "owner@removal.example";
        await server.AddUserAsync(Tenant, email, Password);
        var (uri, recoveryCode) = await EnrollOtpAsync(api, email);
        var enrolling = await MfaTokenAsync(api, email, scope: "openid enroll", audience: api.Audience);
        var (_, enrollingTokens) = await api.GrantAsync(MfaGrantTypes.RecoveryCode, enrolling, ("recovery_code", recoveryCode));
        var (_, emailAssociated) = await api.AssociateAsync(enrollingTokens!["access_token"]!.GetValue<string>(),
            new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "email" } });
        var (emailConfirmed, _) = await api.GrantAsync(MfaGrantTypes.Oob, enrollingTokens["access_token"]!.GetValue<string>(),
            ("oob_code", emailAssociated!["oob_code"]!.GetValue<string>()), ("binding_code", LoginFlow.EmailedCode(server, email)));
        Assert.That(emailConfirmed, Is.EqualTo(HttpStatusCode.OK), "the email factor was not added");

        // The attacker, with the password and a copy of the authenticator's key, passes MFA once and has the browser remembered.
        using var attacker = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(attacker, app, email, Password);
        await attacker.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = CodeFor(uri, stepsAhead: 1), ["RememberBrowser"] = "true" }, formWithField: "Code");
        await attacker.GetAsync(app.BaseUrl + "/logout");
        var skipped = await LoginFlow.SignInAsync(attacker, app, email, Password);
        await attacker.GetAsync(app.BaseUrl + "/logout");

        // The owner removes the authenticator app, signing in to the MFA API with the new recovery code.
        var managing = await MfaTokenAsync(api, email, scope: "openid remove:authenticators", audience: api.Audience);
        var (_, managingTokens) = await api.GrantAsync(MfaGrantTypes.RecoveryCode, managing, ("recovery_code", enrollingTokens["recovery_code"]!.GetValue<string>()));
        var (_, list) = await api.AuthenticatorsAsync(await MfaTokenAsync(api, email));
        var otpId = list!.AsArray().Single(item => item!["authenticator_type"]!.GetValue<string>() == "otp")!["id"]!.GetValue<string>();
        var removed = await api.RemoveAsync(managingTokens!["access_token"]!.GetValue<string>(), otpId);

        var again = await LoginFlow.SignInAsync(attacker, app, email, Password);

        var userId = (await server.GetUserAsync(Tenant, email)).Id;
        var revoked = await server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().RememberedBrowsers
            .CountAsync(browser => browser.UserId == userId && browser.RevokedAt != null));
        Assert.Multiple(() =>
        {
            Assert.That(skipped.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "remembered before the removal");
            Assert.That(removed.Status, Is.EqualTo(HttpStatusCode.NoContent), removed.Body?.ToJsonString());
            Assert.That(again.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), "asked for MFA again: " + again.Html);
            Assert.That(again.Document.GetElementById("password"), Is.Null);
            Assert.That(revoked, Is.EqualTo(1), "the removal revoked the remembered browser");
        });
    }
}
