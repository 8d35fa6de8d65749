using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Factors.WebAuthn;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Cli;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// Security keys and device biometrics in Debian's Chromium, with the DevTools protocol's virtual authenticators: the
/// browser really runs <c>navigator.credentials</c> against the server's ceremonies. A full-page screenshot of each page is
/// kept in the test output (<c>screenshots/webauthn-*.png</c>).
/// </summary>
[NonParallelizable]
[Category("Browser")]
public sealed class WebAuthnBrowserTests
{
    private const string Password = "a long enough password";
    private const string Owner = "owner@keys.example";
    private const string Other = "other@keys.example";

    /// <summary>
    /// The user's <c>app_metadata.mfa</c> says what the Action asks for, so the test changes it between logins; the
    /// Action also copies the enrolled factor types it sees into a claim.
    /// </summary>
    private const string RulesByMetadata = """
        exports.onExecutePostLogin = async (event, api) => {
          api.idToken.setCustomClaim('https://keys.example/factors', event.user.enrolledFactors.map(factor => factor.type).join(' '));
          const mfa = event.user.app_metadata.mfa || {};
          if (mfa.enroll) { api.authentication.enrollWith({ type: mfa.enroll }); }
          else if (mfa.challenge) { api.authentication.challengeWith({ type: mfa.challenge }); }
          else { api.multifactor.enable('any'); }
        };
        """;

    private IPage page = null!;
    private ICDPSession devTools = null!;
    private string screenshots = "";
    private int shot;

    [Test]
    public async Task SecurityKeysAndDeviceBiometrics_EnrollSignInAddStepUpAndRefuseClonesAndOthersKeys()
    {
        var logFile = Path.Combine(Path.GetTempPath(), $"rulesmfa-webauthn-{Guid.NewGuid():N}.log");
        var server = await RulesMfaServer.StartAsync("--Server:LogFile", logFile);
        await using var serverLifetime = server;
        await server.AddTenantAsync("keys", new TenantSettings
        {
            EnabledFactors = [FactorType.Otp, FactorType.WebAuthnRoaming, FactorType.WebAuthnPlatform, FactorType.Email, FactorType.RecoveryCode],
        }, displayName: "Keys Inc.");
        await server.SetRulesAsync("keys", ("010-mfa", RulesByMetadata));
        await server.AddUserAsync("keys", Owner, Password, appMetadata: new { mfa = new { enroll = "otp" } });
        await using var app = await RelyingParty.StartAsync(server, "keys", "keys-web", server.LocalhostIssuer("keys"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await OpenWithVirtualAuthenticatorsAsync(playwright);
        shot = 0;
        foreach (var earlier in Directory.Exists(screenshots) ? Directory.GetFiles(screenshots, "webauthn-*.png") : [])
        {
            File.Delete(earlier);
        }

        // 1. An authenticator app first, then a security key after passing it.
        await SignInAsync(app, Owner);
        await page.WaitForPageAsync("**/keys/mfa/enroll**", page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }));
        var totpKey = OtpNet.Base32Encoding.ToBytes((await page.Locator("#secret-key").InnerTextAsync()).Replace(" ", ""));
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(LoginFlow.CodeFor(totpKey));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).ClickAsync();
        await SignedInAsync(app);
        await SignOutAsync(app);

        var blueKey = await AddAuthenticatorAsync("usb");
        await SetMfaAsync(server, Owner, new { enroll = FactorType.WebAuthnRoaming });
        await SignInAsync(app, Owner);
        await page.WaitForPageAsync("**/keys/mfa?**", page.GetByLabel("Code from your authenticator app"));
        await page.GetByLabel("Code from your authenticator app").FillAsync(LoginFlow.CodeFor(totpKey, 1));
        await ShotAsync("challenge-otp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForPageAsync("**/keys/mfa/enroll**", WebAuthnStart);
        await page.GetByLabel("A name for it, so you can tell it from others").FillAsync("Blue key");
        await ShotAsync("enroll-security-key");
        await page.ClickAsync("#webauthn-start");
        await SignedInAsync(app);
        var enrolledClaims = await ClaimsAsync();
        await SignOutAsync(app);

        // 2. Sign in with the key; device biometrics are then offered (progressive enrollment), and declined.
        await SetMfaAsync(server, Owner, new { challenge = FactorType.WebAuthnRoaming });
        await SignInAsync(app, Owner);
        await page.WaitForPageAsync("**/keys/mfa?**", WebAuthnStart);
        await ShotAsync("challenge-security-key");
        await page.ClickAsync("#webauthn-start");
        await page.WaitForPageAsync("**/keys/mfa/enroll**", page.GetByRole(AriaRole.Button, new() { Name = "Not now" }));
        var offerHeading = await page.Locator("h1").InnerTextAsync();
        await ShotAsync("offer-device-biometrics");
        await page.GetByRole(AriaRole.Button, new() { Name = "Not now" }).ClickAsync();
        await SignedInAsync(app);
        var keyClaims = await ClaimsAsync();
        await SignOutAsync(app);

        // 3. A second key: the first one is refused by the browser as already registered, in words; another key is added.
        await SetMfaAsync(server, Owner, new { enroll = FactorType.WebAuthnRoaming });
        await SignInAsync(app, Owner);
        await page.WaitForPageAsync("**/keys/mfa?**", WebAuthnStart);
        await page.ClickAsync("#webauthn-start");
        await page.WaitForPageAsync("**/keys/mfa/enroll**", WebAuthnStart);
        var listed = await page.Locator("#webauthn-credentials").InnerTextAsync();
        await page.GetByLabel("A name for it, so you can tell it from others").FillAsync("Green key");
        await page.ClickAsync("#webauthn-start");
        await page.Locator("#webauthn-status:not([hidden])").WaitForAsync();
        var alreadyRegistered = await page.Locator("#webauthn-status").InnerTextAsync();
        await ShotAsync("enroll-second-key-already-registered");
        var blueCredential = await CredentialOfAsync(blueKey);
        await devTools.SendAsync("WebAuthn.removeVirtualAuthenticator", new() { ["authenticatorId"] = blueKey });
        var greenKey = await AddAuthenticatorAsync("usb");
        await page.ClickAsync("#webauthn-start");
        await SignedInAsync(app);
        await SignOutAsync(app);

        // 4. Progressive enrollment of this device's biometrics after the key.
        var platform = await AddAuthenticatorAsync("internal");
        await SetMfaAsync(server, Owner, new { challenge = FactorType.WebAuthnRoaming });
        await SignInAsync(app, Owner);
        await page.WaitForPageAsync("**/keys/mfa?**", WebAuthnStart);
        await page.ClickAsync("#webauthn-start");
        await page.WaitForPageAsync("**/keys/mfa/enroll**", WebAuthnStart);
        await ShotAsync("enroll-device-biometrics");
        await page.ClickAsync("#webauthn-start");
        await SignedInAsync(app);
        var biometricsClaims = await ClaimsAsync();
        await SignOutAsync(app);

        await SetMfaAsync(server, Owner, new { challenge = FactorType.WebAuthnPlatform });
        await SignInAsync(app, Owner);
        await page.WaitForPageAsync("**/keys/mfa?**", WebAuthnStart);
        await ShotAsync("challenge-device-biometrics");
        await page.ClickAsync("#webauthn-start");
        await SignedInAsync(app);
        var signedInWithBiometrics = await ClaimsAsync();
        var relyingPartyId = (await CredentialOfAsync(platform)).GetProperty("rpId").GetString();
        await SignOutAsync(app);

        // 5. Step-up asked by the app, passed with a key; no offer now that this device has biometrics.
        await SetMfaAsync(server, Owner, null);
        await SignInAsync(app, Owner, "/login?stepup=1");
        await page.WaitForPageAsync("**/keys/mfa?**", WebAuthnStart);
        var stepUpFactor = await page.Locator("input[name=Factor]").First.GetAttributeAsync("value");
        await ShotAsync("step-up");
        await page.ClickAsync("#webauthn-start");
        await SignedInAsync(app);
        var stepUpClaims = await ClaimsAsync();
        await SignOutAsync(app);

        // 6. A cloned key: its signature counter set back is refused, and audited.
        var green = await CredentialOfAsync(greenKey);
        await devTools.SendAsync("WebAuthn.removeCredential", new() { ["authenticatorId"] = greenKey, ["credentialId"] = green.GetProperty("credentialId").GetString()! });
        await devTools.SendAsync("WebAuthn.addCredential", new() { ["authenticatorId"] = greenKey, ["credential"] = Cloned(green) });
        await SetMfaAsync(server, Owner, new { challenge = FactorType.WebAuthnRoaming });
        await SignInAsync(app, Owner);
        await page.WaitForPageAsync("**/keys/mfa?**", WebAuthnStart);
        await page.ClickAsync("#webauthn-start");
        await page.Locator("#mfa-error").WaitForAsync();
        var clonedError = await page.Locator("#mfa-error").InnerTextAsync();
        await ShotAsync("cloned-key-refused");
        var clonedHasTokens = await HasTokensAsync(app);

        // 7. Someone else's key, for another user of the tenant: refused, and audited.
        await server.AddUserAsync("keys", Other, Password, appMetadata: new { mfa = new { challenge = FactorType.WebAuthnRoaming } });
        await GiveUnknownKeyAsync(server, Other);
        await page.Context.ClearCookiesAsync();
        await SignInAsync(app, Other);
        await page.WaitForPageAsync("**/keys/mfa?**", WebAuthnStart);
        await page.EvaluateAsync("""
            credentialId => {
              const original = navigator.credentials.get.bind(navigator.credentials);
              navigator.credentials.get = options => {
                options.publicKey.allowCredentials = [{ type: 'public-key', id: Uint8Array.from(atob(credentialId), c => c.charCodeAt(0)).buffer }];
                return original(options);
              };
            }
            """, green.GetProperty("credentialId").GetString());
        await page.ClickAsync("#webauthn-start");
        await page.Locator("#mfa-error").WaitForAsync();
        var foreignError = await page.Locator("#mfa-error").InnerTextAsync();
        await ShotAsync("other-users-key-refused");
        var foreignHasTokens = await HasTokensAsync(app);

        // 8. reset-mfa removes the keys and the device biometrics with the other factors.
        var reset = CliRun.Of("user", "reset-mfa", "--tenant", "keys", "--email", Owner, "--data-folder", server.DataFolder);
        var ownerId = (await server.GetUserAsync("keys", Owner)).Id;
        var left = await server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().Set<WebAuthnCredentialRecord>()
            .CountAsync(record => record.UserId == ownerId));
        await page.Context.ClearCookiesAsync();
        await SignInAsync(app, Owner);
        await page.WaitForPageAsync("**/keys/mfa/enroll**", page.Locator("h1"));
        await ShotAsync("after-reset-enroll-again");
        await server.DisposeAsync();
        var log = File.ReadAllText(logFile);

        Assert.Multiple(() =>
        {
            Assert.That(enrolledClaims, Does.Contain("amr\thwk").And.Contain("amr\totp").And.Contain("amr\tmfa"), "the key was added after the authenticator app passed");
            Assert.That(keyClaims, Does.Contain("amr\thwk").And.Contain("http://schemas.openid.net/pape/policies/2007/06/multi-factor"));
            Assert.That(keyClaims, Does.Contain("https://keys.example/factors\totp email recovery-code webauthn-roaming"), "the Action sees the key in event.user.enrolledFactors");
            Assert.That(offerHeading, Is.EqualTo("Add this device's fingerprint or face"));
            Assert.That(listed, Does.Contain("Blue key").And.Contain("last used 20"), "the keys are listed by name with their last use");
            Assert.That(alreadyRegistered, Does.StartWith("This authenticator is already registered to your account."));
            Assert.That(blueCredential.GetProperty("signCount").GetInt32(), Is.GreaterThan(0));
            Assert.That(biometricsClaims, Does.Contain("amr\tuser").And.Contain("amr\thwk"), "biometrics verified the user after the key");
            Assert.That(signedInWithBiometrics, Does.Contain("amr\tuser").And.Not.Contain("amr\thwk"), "device biometrics alone verified the user");
            Assert.That(relyingPartyId, Is.EqualTo("localhost"), "the relying party id is the host the browser used (no public origin set)");
            Assert.That(stepUpFactor, Is.EqualTo(FactorType.WebAuthnRoaming), "the most secure factor first");
            Assert.That(stepUpClaims, Does.Contain("amr\thwk"));
            Assert.That(clonedError, Does.StartWith("Your security key was refused: its use count went back"));
            Assert.That(clonedHasTokens, Is.False);
            Assert.That(foreignError, Is.EqualTo("This security key is not registered to your account. Use one that is, or another method."));
            Assert.That(foreignHasTokens, Is.False);
            Assert.That(reset.Output, Does.Contain("2 security key(s), 1 device biometrics key(s), 0 push device(s) and 0 pending Duo sign-in(s)"));
            Assert.That(left, Is.Zero);
            Assert.That(log, Does.Contain("\"AuditEvent\":\"mfa.webauthn-cloned\""));
            Assert.That(log, Does.Contain("\"AuditEvent\":\"mfa.webauthn-foreign-credential\""));
            Assert.That(Directory.GetFiles(screenshots, "webauthn-*.png"), Has.Length.EqualTo(shot));
        });
    }

    /// <summary>
    /// A tenant that requires user verification: a key that cannot verify its user is refused by the browser, and the page
    /// says so in words beside another method; a page that asks the key to skip verification gets an answer the server
    /// refuses (the ceremony's options, not the browser, decide); a verified key signs in with <c>amr</c> <c>user</c>.
    /// </summary>
    [Test]
    public async Task SecurityKey_TenantRequiresUserVerification_AnUnverifiedAnswerIsRefused_AndTheFailureIsSaidInWords()
    {
        const string Strict = "strict@keys.example";
        await using var server = await RulesMfaServer.StartAsync();
        await server.AddTenantAsync("strict", new TenantSettings
        {
            EnabledFactors = [FactorType.WebAuthnRoaming, FactorType.RecoveryCode],
            WebAuthn = new WebAuthnSettings { UserVerification = WebAuthnUserVerification.Required },
        });
        await server.SetRulesAsync("strict", ("010-keys", """
            exports.onExecutePostLogin = async (event, api) => {
              if (event.user.enrolledFactors.length === 0) { api.authentication.enrollWith({ type: 'webauthn-roaming' }); }
              else { api.authentication.challengeWith({ type: 'webauthn-roaming' }); }
            };
            """));
        await server.AddUserAsync("strict", Strict, Password);
        await using var app = await RelyingParty.StartAsync(server, "strict", "strict-web", server.LocalhostIssuer("strict"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await OpenWithVirtualAuthenticatorsAsync(playwright);
        var key = await AddAuthenticatorAsync("usb");

        await SignInAsync(app, Strict);
        await page.WaitForPageAsync("**/strict/mfa/enroll**", WebAuthnStart);
        await page.GetByLabel("A name for it, so you can tell it from others").FillAsync("PIN key");
        await page.ClickAsync("#webauthn-start");
        await page.GetByRole(AriaRole.Link, new() { Name = "I have saved it, continue" }).ClickAsync();
        await SignedInAsync(app);
        await SignOutAsync(app);

        await devTools.SendAsync("WebAuthn.setUserVerified", new() { ["authenticatorId"] = key, ["isUserVerified"] = false });
        await SignInAsync(app, Strict);
        await page.WaitForPageAsync("**/strict/mfa?**", WebAuthnStart);
        await page.ClickAsync("#webauthn-start");
        await page.Locator("#webauthn-status:not([hidden])").WaitForAsync();
        var notAllowed = await page.Locator("#webauthn-status").InnerTextAsync();
        var anotherMethod = await page.Locator("#use-recovery-code").IsVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "webauthn-user-verification-failed.png"), FullPage = true });

        await page.EvaluateAsync("""
            () => {
              const original = navigator.credentials.get.bind(navigator.credentials);
              navigator.credentials.get = options => {
                options.publicKey.userVerification = 'discouraged';
                return original(options);
              };
            }
            """);
        await page.ClickAsync("#webauthn-start");
        await page.Locator("#mfa-error").WaitForAsync();
        var unverified = await page.Locator("#mfa-error").InnerTextAsync();
        var unverifiedHasTokens = await HasTokensAsync(app);

        await devTools.SendAsync("WebAuthn.setUserVerified", new() { ["authenticatorId"] = key, ["isUserVerified"] = true });
        // The refusal is a new page: its start button answers once the page's script has wired the form.
        await WebAuthnStart.ClickAsync();
        await SignedInAsync(app);
        var verifiedClaims = await ClaimsAsync();

        Assert.Multiple(() =>
        {
            Assert.That(notAllowed, Is.EqualTo("The request was cancelled, timed out, or was not allowed. Try again, or use another method below."));
            Assert.That(anotherMethod, Is.True, "another method is offered beside the words");
            Assert.That(unverified, Is.EqualTo("Your security key's answer could not be verified. Try again, or use another method."), "the server asked for verification");
            Assert.That(unverifiedHasTokens, Is.False);
            Assert.That(verifiedClaims, Does.Contain("amr\thwk").And.Contain("amr\tuser"));
        });
    }

    [Test]
    public async Task RulesAskingOnlyForAFactorNotEnabled_EndOnAPageThatNamesItAndGoesBackToTheApp()
    {
        using var logFolder = new TempFolder();
        var logFile = Path.Combine(logFolder.Path, "rulesmfa.json");
        await using var server = await RulesMfaServer.StartAsync("--Server:LogFile", logFile);
        await server.AddTenantAsync("plain", displayName: "Plain Co.");
        await server.SetRulesAsync("plain", ("010-keys", "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: 'webauthn-roaming' }); };"));
        await server.AddUserAsync("plain", "user@plain.example", Password);
        await using var app = await RelyingParty.StartAsync(server, "plain", "plain-web");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        page = await browser.NewPageAsync();
        screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

        await SignInAsync(app, "user@plain.example");
        await page.WaitForPageAsync("**/plain/mfa/unavailable**", page.GetByRole(AriaRole.Link, new() { Name = "Back to the application" }));
        var heading = await page.Locator("h1").InnerTextAsync();
        var body = await page.Locator("main").InnerTextAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, "factors-unavailable.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the application" }).ClickAsync();
        await page.WaitForPageAsync("**/error?**", page.Locator("#error-description"));
        var error = await page.Locator("#error").InnerTextAsync();
        var description = await page.Locator("#error-description").InnerTextAsync();
        var audited = File.ReadAllLines(logFile).Where(line => line.Contains("\"AuditEvent\":\"mfa.factors-unavailable\"", StringComparison.Ordinal)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(heading, Is.EqualTo("This sign-in cannot be completed"));
            Assert.That(body, Does.Contain("Security key").And.Not.Contain("webauthn"), "display names, never a raw identifier");
            Assert.That(error, Is.EqualTo("access_denied"));
            Assert.That(description, Is.EqualTo("The rules allowed MFA with Security key, but none of these is enabled for this tenant."));
            Assert.That(audited, Has.Count.EqualTo(1).And.All.Contains("\"Factors\":\"webauthn-roaming\""), "the dead end is audited with the factors the rules asked for");
        });
    }

    private async Task<string> AddAuthenticatorAsync(string transport)
    {
        var added = await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new()
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = transport, ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        return added!.Value.GetProperty("authenticatorId").GetString()!;
    }

    private async Task<JsonElement> CredentialOfAsync(string authenticatorId) =>
        (await devTools.SendAsync("WebAuthn.getCredentials", new() { ["authenticatorId"] = authenticatorId }))!.Value.GetProperty("credentials")[0];

    /// <summary>The same credential, its private key copied, its signature counter back at zero: what a cloned authenticator answers with.</summary>
    private static Dictionary<string, object> Cloned(JsonElement credential) => new()
    {
        ["credentialId"] = credential.GetProperty("credentialId").GetString()!,
        ["isResidentCredential"] = credential.GetProperty("isResidentCredential").GetBoolean(),
        ["rpId"] = credential.GetProperty("rpId").GetString()!,
        ["privateKey"] = credential.GetProperty("privateKey").GetString()!,
        ["userHandle"] = credential.TryGetProperty("userHandle", out var handle) ? handle.GetString()! : "",
        ["signCount"] = 0,
    };

    /// <summary>Gives the user a security key of their own (one this browser does not hold), so the rules challenge them with one.</summary>
    private static Task GiveUnknownKeyAsync(RulesMfaServer server, string email) => server.WithServicesAsync(async services =>
    {
        var database = services.GetRequiredService<RulesMfaDbContext>();
        var user = await database.Users.SingleAsync(record => record.Email == email);
        database.Add(new WebAuthnCredentialRecord
        {
            UserId = user.Id, Type = FactorType.WebAuthnRoaming, CredentialId = RandomNumberGenerator.GetBytes(32), PublicKey = RandomNumberGenerator.GetBytes(77),
            Name = "Their own key", Transports = "usb", CreatedAt = DateTimeOffset.UtcNow,
        });
        return await database.SaveChangesAsync();
    });

    private static Task SetMfaAsync(RulesMfaServer server, string email, object? mfa) =>
        server.UpdateUserAsync("keys", email, user => user.AppMetadataJson = mfa is null ? "{}" : JsonSerializer.Serialize(new { mfa }));

    private async Task SignInAsync(RelyingParty app, string email, string path = "/login")
    {
        await page.GoToPageAsync(app.BaseUrl + path, page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private async Task SignOutAsync(RelyingParty app)
    {
        await page.GotoAsync(app.BaseUrl + "/logout", new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForPageAsync(app.BaseUrl + "/", page.GetByText("You are not signed in."));
    }

    /// <summary>Whether the app has a signed-in user in this browser (its <c>/me.json</c> answers 200, without following a redirect to sign in).</summary>
    private async Task<bool> HasTokensAsync(RelyingParty app) =>
        (await page.Context.APIRequest.GetAsync(app.BaseUrl + "/me.json", new APIRequestContextOptions { MaxRedirects = 0 })).Status == 200;

    private Task<string> ClaimsAsync() => page.Locator("tbody").InnerTextAsync();

    /// <summary>Waits for the app's page that lists the signed-in user's claims.</summary>
    private Task SignedInAsync(RelyingParty app) => page.WaitForPageAsync(app.BaseUrl + "/", page.Locator("tbody"));

    /// <summary>The button of a page's WebAuthn form, once the page's script answers it (the script marks the form wired).</summary>
    private ILocator WebAuthnStart => page.Locator("#webauthn-form[data-wired] #webauthn-start");

    /// <summary>Chromium with one page whose DevTools session has WebAuthn enabled (virtual authenticators can be added).</summary>
    private async Task<IBrowser> OpenWithVirtualAuthenticatorsAsync(IPlaywright playwright)
    {
        var browser = await Chromium.LaunchAsync(playwright);
        page = await browser.NewPageAsync();
        devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable");
        screenshots = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        return browser;
    }

    private Task ShotAsync(string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, $"webauthn-{++shot:00}-{name}.png"), FullPage = true });
}
