using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Tests.EndToEnd;

namespace RulesMfa.Tests.Admin;

/// <summary>
/// The admin API's support actions on users (<c>/users/{id}</c>, <c>reset-mfa</c>, <c>forget-browsers</c>) against the real
/// server, with users who enrolled and remembered browsers through the real pages and the stock OIDC client.
/// </summary>
[NonParallelizable]
public sealed class UserSupportApiTests
{
    private const string Tenant = "helpdesk";
    private const string OtherTenant = "elsewhere";
    private const string Password = "a long enough password";
    private const string MfaRememberable = "function (user, context, callback) { context.multifactor = { provider: 'any', allowRememberBrowser: true }; callback(null, user, context); }";

    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private AdminApiClient api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync(Tenant);
        await server.AddTenantAsync(OtherTenant);
        await server.SetRulesAsync(Tenant, ("010-mfa", MfaRememberable));
        app = await RelyingParty.StartAsync(server, Tenant, "helpdesk-web");
        api = await AdminApiClient.CreateAsync(server, Tenant);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await app.DisposeAsync();
        await server.DisposeAsync();
    }

    [Test]
    public async Task UserDetail_EnrolledUser_NamesTheFactorsAndNeverTheirSecrets()
    {
        var (userId, key) = await EnrolledUserAsync("named@helpdesk.example");

        var detail = await api.GetAsync($"/users/{Uri.EscapeDataString(userId)}");

        Assert.Multiple(() =>
        {
            Assert.That(detail.Status, Is.EqualTo(200), detail.Text);
            Assert.That(detail.Json["factors"]!.AsArray().Select(factor => factor!["name"]!.GetValue<string>()), Does.Contain("Authenticator app").And.Contain("Recovery code"));
            Assert.That(detail.Text, Does.Not.Contain(OtpNet.Base32Encoding.ToString(key)), "the authenticator's key is never shown");
        });
    }

    [Test]
    public async Task ResetMfa_Confirmed_RemovesEveryFactor_NextLoginEnrollsAgain_AndIsAudited()
    {
        var (userId, _) = await EnrolledUserAsync("reset@helpdesk.example");

        var reset = await api.PostAsync($"/users/{Uri.EscapeDataString(userId)}/reset-mfa", new { confirm = true });
        var after = await api.GetAsync($"/users/{Uri.EscapeDataString(userId)}");
        using var browser = new FormBrowser();
        var nextLogin = await LoginFlow.SignInAsync(browser, app, "reset@helpdesk.example", Password);
        var audit = await api.GetAsync("/audit?action=mfa.reset");

        Assert.Multiple(() =>
        {
            Assert.That(reset.Status, Is.EqualTo(200), reset.Text);
            Assert.That(reset.Json["removed"]!.AsArray().Where(factor => factor!["count"]!.GetValue<int>() > 0).Select(factor => factor!["type"]!.GetValue<string>()),
                Is.EquivalentTo(new[] { "otp", "recovery-code" }));
            Assert.That(after.Json["factors"]!.AsArray(), Is.Empty);
            Assert.That(nextLogin.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa/enroll"), "the user enrolls again");
            Assert.That(audit.Json.AsArray().Select(entry => (entry!["target"]!.GetValue<string>(), entry["actor"]!.GetValue<string>())),
                Does.Contain((userId, $"client:{api.ClientId}")));
        });
    }

    [Test]
    public async Task ResetMfa_Confirmed_RevokesTheUsersRefreshTokens_AndNoOtherUsers()
    {
        using var thief = new FormBrowser();
        var (userId, _) = await EnrolledUserAsync("stolen-token@helpdesk.example", thief);
        var stolen = (await LoginFlow.MeAsync(thief, app)).GetProperty("refreshToken").GetString()!;
        using var bystander = new FormBrowser();
        await EnrolledUserAsync("bystander@helpdesk.example", bystander);
        var bystanders = (await LoginFlow.MeAsync(bystander, app)).GetProperty("refreshToken").GetString()!;
        var beforeReset = await app.RefreshAsync(stolen);

        var reset = await api.PostAsync($"/users/{Uri.EscapeDataString(userId)}/reset-mfa", new { confirm = true });
        var afterReset = await app.RefreshAsync(beforeReset.GetProperty("refresh_token").GetString()!);
        var otherUser = await app.RefreshAsync(bystanders);
        var audit = await api.GetAsync("/audit?action=mfa.reset");

        Assert.Multiple(() =>
        {
            Assert.That(beforeReset.TryGetProperty("access_token", out _), Is.True, beforeReset.ToString());
            Assert.That(reset.Json["authorizationsRevoked"]!.GetValue<long>(), Is.EqualTo(1), reset.Text);
            Assert.That(reset.Json["tokensRevoked"]!.GetValue<long>(), Is.Positive, reset.Text);
            Assert.That(afterReset.TryGetProperty("error_description", out var refused) ? refused.GetString() : $"not refused: {afterReset}",
                Is.EqualTo("The specified refresh token is no longer valid."));
            Assert.That(otherUser.TryGetProperty("access_token", out _), Is.True, otherUser.ToString());
            Assert.That(audit.Json.AsArray().Where(entry => entry!["target"]!.GetValue<string>() == userId).Select(entry => entry!["detail"]!.GetValue<string>()),
                Has.Some.Contains("1 authorization(s) and"));
        });
    }

    [Test]
    public async Task ForgetBrowsers_Confirmed_RememberedBrowserIsAskedForMfaAgain()
    {
        var (userId, key) = await EnrolledUserAsync("forget@helpdesk.example");
        using var remembered = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(remembered, app, "forget@helpdesk.example", Password);
        await remembered.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key, 1), ["RememberBrowser"] = "true" }, formWithField: "Code");
        await remembered.GetAsync(app.BaseUrl + "/logout");
        var skipped = await LoginFlow.SignInAsync(remembered, app, "forget@helpdesk.example", Password);
        await remembered.GetAsync(app.BaseUrl + "/logout");
        var before = await api.GetAsync($"/users/{Uri.EscapeDataString(userId)}");

        var forget = await api.PostAsync($"/users/{Uri.EscapeDataString(userId)}/forget-browsers", new { confirm = true });
        var again = await LoginFlow.SignInAsync(remembered, app, "forget@helpdesk.example", Password);

        Assert.Multiple(() =>
        {
            Assert.That(skipped.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "remembered before");
            Assert.That(before.Json["rememberedBrowsers"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(forget.Status, Is.EqualTo(200), forget.Text);
            Assert.That(forget.Json["forgotten"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(again.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), "asked for MFA again");
        });
    }

    [Test]
    public async Task ResetMfa_ThenEnrolledAgain_TheOldRememberedBrowserIsAskedForMfa()
    {
        var (userId, key) = await EnrolledUserAsync("lost-laptop@helpdesk.example");
        using var lostLaptop = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(lostLaptop, app, "lost-laptop@helpdesk.example", Password);
        await lostLaptop.SubmitAsync(challenge, new Dictionary<string, string> { ["Code"] = LoginFlow.CodeFor(key, 1), ["RememberBrowser"] = "true" }, formWithField: "Code");
        await lostLaptop.GetAsync(app.BaseUrl + "/logout");

        var reset = await api.PostAsync($"/users/{Uri.EscapeDataString(userId)}/reset-mfa", new { confirm = true });
        using (var newPhone = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(newPhone, app, "lost-laptop@helpdesk.example", Password);
            await LoginFlow.SubmitCodeAsync(newPhone, enrollment, LoginFlow.CodeFor(LoginFlow.KeyFrom(enrollment)));
        }

        var fromTheLostLaptop = await LoginFlow.SignInAsync(lostLaptop, app, "lost-laptop@helpdesk.example", Password);

        Assert.Multiple(() =>
        {
            Assert.That(reset.Json["browsersForgotten"]!.GetValue<int>(), Is.EqualTo(1), reset.Text);
            Assert.That(fromTheLostLaptop.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), "the browser remembered before the reset asks for MFA");
        });
    }

    [Test]
    public async Task ResetMfa_WithoutConfirm_IsRefusedNamingTheField_AndRemovesNothing()
    {
        var (userId, _) = await EnrolledUserAsync("unconfirmed@helpdesk.example");

        var refused = await api.PostAsync($"/users/{Uri.EscapeDataString(userId)}/reset-mfa", new { });
        var after = await api.GetAsync($"/users/{Uri.EscapeDataString(userId)}");

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status, Is.EqualTo(400), refused.Text);
            Assert.That(refused.Json["errors"]![0]!["field"]!.GetValue<string>(), Is.EqualTo("confirm"));
            Assert.That(after.Json["factors"]!.AsArray().Select(factor => factor!["type"]!.GetValue<string>()), Does.Contain("otp"));
        });
    }

    [Test]
    public async Task UserOfAnotherTenant_IsNotFound_NotListed_AndKeepsTheirFactors()
    {
        await server.AddUserAsync(OtherTenant, "outsider@elsewhere.example", Password);
        var outsider = await server.GetUserAsync(OtherTenant, "outsider@elsewhere.example");
        await server.WithServicesAsync(async services =>
        {
            var database = services.GetRequiredService<RulesMfa.Host.Storage.RulesMfaDbContext>();
            database.RecoveryCodes.Add(new RulesMfa.Host.Storage.RecoveryCodeRecord { UserId = outsider.Id, Hash = "not a real hash", CreatedAt = DateTimeOffset.UtcNow });
            return await database.SaveChangesAsync();
        });

        var detail = await api.GetAsync($"/users/{Uri.EscapeDataString(outsider.Id)}");
        var reset = await api.PostAsync($"/users/{Uri.EscapeDataString(outsider.Id)}/reset-mfa", new { confirm = true });
        var forget = await api.PostAsync($"/users/{Uri.EscapeDataString(outsider.Id)}/forget-browsers", new { confirm = true });
        var search = await api.GetAsync("/users?search=outsider");
        var codesLeft = await server.WithServicesAsync(services =>
            services.GetRequiredService<RulesMfa.Host.Storage.RulesMfaDbContext>().RecoveryCodes.CountAsync(code => code.UserId == outsider.Id));

        Assert.Multiple(() =>
        {
            Assert.That(detail.Status, Is.EqualTo(404), detail.Text);
            Assert.That(reset.Status, Is.EqualTo(404), reset.Text);
            Assert.That(reset.Json["detail"]!.GetValue<string>(), Is.EqualTo($"No user '{outsider.Id}' in this tenant."));
            Assert.That(forget.Status, Is.EqualTo(404), forget.Text);
            Assert.That(search.Json.AsArray(), Is.Empty);
            Assert.That(codesLeft, Is.EqualTo(1), "the other tenant's user keeps their factors");
        });
    }

    /// <summary>Adds the user and enrolls an authenticator app through the real pages; returns their id and the app's key.</summary>
    private async Task<(string UserId, byte[] Key)> EnrolledUserAsync(string email)
    {
        using var browser = new FormBrowser();
        return await EnrolledUserAsync(email, browser);
    }

    /// <summary>As <see cref="EnrolledUserAsync(string)"/>, in <paramref name="browser"/>, which stays signed in to the app.</summary>
    private async Task<(string UserId, byte[] Key)> EnrolledUserAsync(string email, FormBrowser browser)
    {
        await server.AddUserAsync(Tenant, email, Password);
        var enrollment = await LoginFlow.SignInAsync(browser, app, email, Password);
        var key = LoginFlow.KeyFrom(enrollment);
        var saved = await LoginFlow.SubmitCodeAsync(browser, enrollment, LoginFlow.CodeFor(key));
        await LoginFlow.FollowAsync(browser, saved, "continue");
        return ((await server.GetUserAsync(Tenant, email)).Id, key);
    }
}
