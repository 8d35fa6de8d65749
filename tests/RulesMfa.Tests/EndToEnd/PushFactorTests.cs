using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Factors.Push;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Cli;
using RulesMfa.Tests.Oidc;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// Push through the real pages, the stock OIDC client and the companion device run as a separate process
/// (<c>rulesmfa device …</c>): enrollment from the link the page shows, approval with the page's digits, a rejection, the
/// offline code, and every refusal of the device API.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PushFactorTests
{
    private const string Tenant = PushTenant.Name;
    private const string Password = PushTenant.Password;
    private const string Owner = PushTenant.Owner;

    private readonly TempFolder devices = new();

    [OneTimeTearDown]
    public void DeleteDevices() => devices.Dispose();

    [Test]
    public async Task EnrollThenSignIn_WithTheCompanionDevice_ApprovesRejectsAndSignsInOffline()
    {
        var logFile = Path.Combine(devices.Path, $"push-{Guid.NewGuid():N}.log");
        var server = await RulesMfaServer.StartAsync("--Server:LogFile", logFile);
        await using var serverLifetime = server;
        await using var app = await StartTenantAsync(server);
        var device = new PushDevice(Path.Combine(devices.Path, "journey", "device.json"));

        // Enrollment: the link on the page, read by the device in another process; the page then continues.
        using var first = new FormBrowser();
        var enrollPage = await LoginFlow.SignInAsync(first, app, Owner, Password);
        var uri = enrollPage.Text("push-enrollment-uri")!;
        var enrolled = await device.RunOkAsync("enroll", uri, "--name", "Test phone");
        var saved = await PushPages.SubmitAsync(first, enrollPage, "confirm");
        var recoveryCode = saved.Text("recovery-code");
        await FollowContinueAsync(first, saved);
        var afterEnrollment = LoginFlow.Amr(await LoginFlow.MeAsync(first, app));

        // Approval: the device lists the sign-in as a phone shows it, and approves it with the page's digits.
        using var second = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(second, app, Owner, Password);
        var digits = PushPages.Digits(challenge);
        var id = await device.PendingIdAsync();
        var listed = await device.RunOkAsync("pending");
        await device.RunOkAsync("approve", id, "--digits", digits);
        await PushPages.SubmitAsync(second, challenge, "check");
        var me = await LoginFlow.MeAsync(second, app);

        // A rejection: the page says so, offers the other ways, and the app gets no tokens.
        using var third = new FormBrowser();
        var rejectedChallenge = await LoginFlow.SignInAsync(third, app, Owner, Password);
        await device.RunOkAsync("reject", await device.PendingIdAsync());
        var rejected = await PushPages.SubmitAsync(third, rejectedChallenge, "check");
        var rejectedHasTokens = (int)(await third.GetAsync(app.BaseUrl + "/me.json")).Status == 200;

        // Offline: the device's code instead of an approval.
        using var fourth = new FormBrowser();
        var offlineChallenge = await LoginFlow.SignInAsync(fourth, app, Owner, Password);
        var code = System.Text.RegularExpressions.Regex.Match(await device.RunOkAsync("code"), @": (\d{6}) ").Groups[1].Value;
        await PushPages.SubmitAsync(fourth, offlineChallenge, "code", new Dictionary<string, string> { ["Code"] = code });
        var offline = LoginFlow.Amr(await LoginFlow.MeAsync(fourth, app));
        await server.DisposeAsync();
        var log = File.ReadAllText(logFile);

        Assert.Multiple(() =>
        {
            Assert.That(uri, Does.StartWith("otpauth://totp/Push%20Inc.%3Aowner%40push.example?secret=").And.Contain("&enrollment_tx_id=").And.Contain("&id=dev_")
                .And.Contain($"&base_url={Uri.EscapeDataString(server.Issuer(Tenant))}&algorithm=sha1&digits=6&period=30"));
            Assert.That(enrolled, Does.StartWith($"Enrolled {Owner} at Push Inc. (dev_"));
            Assert.That(File.GetUnixFileMode(device.File), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the device file holds its private key");
            Assert.That(recoveryCode, Is.Not.Null.And.Not.Empty, "the first enrollment issues the recovery code");
            Assert.That(afterEnrollment, Does.Contain("mfa").And.Contain("swk"));
            Assert.That(listed, Does.Contain($"{id}  Push web wants to sign you in as {Owner} (Push Inc.)").And.Contain("from 127.0.0.1, Unknown location, at 20"));
            Assert.That(LoginFlow.Amr(me), Does.Contain("mfa").And.Contain("swk"));
            Assert.That(me.GetProperty("idToken").GetProperty("https://push.example/multifactor").GetString(), Is.EqualTo("guardian"), "user.multifactor names the push enrollment");
            Assert.That(me.GetProperty("idToken").GetProperty("https://push.example/factors").GetString(), Does.Contain(FactorType.PushNotification));
            Assert.That(rejected.Text("mfa-error"), Does.StartWith("You turned down this sign-in on your device."));
            Assert.That(rejected.Document.GetElementById("use-recovery-code"), Is.Not.Null, "the page offers the other ways");
            Assert.That(rejected.Document.GetElementById("push-send"), Is.Not.Null, "and a new request");
            Assert.That(rejectedHasTokens, Is.False);
            Assert.That(offline, Does.Contain("otp").And.Contain("mfa"));
            Assert.That(log, Does.Contain("\"AuditEvent\":\"mfa.push-device-enrolled\"").And.Contain("\"AuditEvent\":\"mfa.enrolled\""));
            Assert.That(log, Does.Contain("\"AuditEvent\":\"mfa.push-approved\"").And.Contain("\"AuditEvent\":\"mfa.push-rejected\""));
            Assert.That(log, Does.Not.Contain(device.Account.GetProperty("token").GetString()!).And.Not.Contain(code), "no token or code in the log");
        });
    }

    [Test]
    public async Task DeviceAnswers_ThatAreNotThisDevicesFreshAnswerToThisRequest_AreRefusedAndTheRequestWaits()
    {
        var server = await RulesMfaServer.StartAsync();
        await using var serverLifetime = server;
        await using var app = await StartTenantAsync(server);
        await server.AddTenantAsync("other", new TenantSettings { EnabledFactors = [FactorType.PushNotification, FactorType.RecoveryCode] });
        var device = await EnrollAsync(app, "answers");
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, Owner, Password);
        var pending = (await device.PendingAsync()).Single();
        using var elsewhere = new FormBrowser();
        var otherChallenge = await LoginFlow.SignInAsync(elsewhere, app, Owner, Password);
        var other = (await device.PendingAsync()).Single(transaction => transaction.Id != pending.Id);
        var digits = PushPages.Digits(challenge);
        using var stranger = System.Security.Cryptography.RSA.Create(2048);

        var anotherDevice = await PushDevice.ResolveAsync(device.ResolveUrl, pending.TransactionToken, device.Answer(pending, digits: digits, key: stranger));
        var anotherTransaction = await PushDevice.ResolveAsync(device.ResolveUrl, pending.TransactionToken, device.Answer(pending, digits: digits, challenge: other.Challenge));
        var expired = await PushDevice.ResolveAsync(device.ResolveUrl, pending.TransactionToken, device.Answer(pending, digits: digits, issuedAt: DateTime.UtcNow.AddSeconds(-60)));
        var tooLong = await PushDevice.ResolveAsync(device.ResolveUrl, pending.TransactionToken, device.Answer(pending, digits: digits, lifetime: TimeSpan.FromMinutes(10)));
        var otherTenant = await PushDevice.ResolveAsync(server.Issuer("other") + PushClaims.ResolvePath, pending.TransactionToken, device.Answer(pending, digits: digits));
        var otherAudience = await PushDevice.ResolveAsync(device.ResolveUrl, pending.TransactionToken, device.Answer(pending, digits: digits, audience: server.Issuer("other") + PushClaims.ResolvePath));
        var stillWaiting = await PushPages.SubmitAsync(browser, challenge, "check");
        var approved = await PushDevice.ResolveAsync(device.ResolveUrl, pending.TransactionToken, device.Answer(pending, digits: digits));
        var replayed = await PushDevice.ResolveAsync(device.ResolveUrl, pending.TransactionToken, device.Answer(pending, digits: digits));
        await PushPages.SubmitAsync(browser, stillWaiting, "check");
        var signedIn = LoginFlow.Amr(await LoginFlow.MeAsync(browser, app));

        var otherDigits = PushPages.Digits(otherChallenge);
        var wrong = $"{(int.Parse(otherDigits, System.Globalization.CultureInfo.InvariantCulture) + 1) % 100:00}";
        var wrongDigits = await PushDevice.ResolveAsync(device.ResolveUrl, other.TransactionToken, device.Answer(other, digits: wrong));
        var rightAfterWrong = await PushDevice.ResolveAsync(device.ResolveUrl, other.TransactionToken, device.Answer(other, digits: otherDigits));
        var wrongDigitsPage = await PushPages.SubmitAsync(elsewhere, otherChallenge, "check");

        Assert.Multiple(() =>
        {
            Assert.That(anotherDevice, Is.EqualTo((400, "invalid_signature")), "signed by another device's key");
            Assert.That(anotherTransaction, Is.EqualTo((400, "wrong_transaction")), "the challenge of another request");
            Assert.That(expired, Is.EqualTo((400, "expired_answer")));
            Assert.That(tooLong, Is.EqualTo((400, "invalid_lifetime")), "exp more than 30 s after iat");
            Assert.That(otherTenant, Is.EqualTo((401, "invalid_token")), "a request of another tenant is not known there");
            Assert.That(otherAudience, Is.EqualTo((400, "invalid_audience")), "an answer meant for another tenant");
            Assert.That(stillWaiting.Text("mfa-error"), Does.StartWith("Your device has not approved this sign-in yet."), "no refused answer moved the request");
            Assert.That(approved, Is.EqualTo((204, "")));
            Assert.That(replayed, Is.EqualTo((409, "transaction_resolved")), "an answer counts once");
            Assert.That(signedIn, Does.Contain("swk"));
            Assert.That(wrongDigits, Is.EqualTo((400, "wrong_digits")));
            Assert.That(rightAfterWrong, Is.EqualTo((409, "transaction_resolved")), "wrong digits end the request: one guess per request");
            Assert.That(wrongDigitsPage.Text("mfa-error"), Does.StartWith("The number entered on your device did not match"));
        });
    }

    [Test]
    public async Task Tickets_AreSingleUseAndExpire_AndResetMfaRemovesTheDevice()
    {
        var clock = new ShiftedTimeProvider();
        var server = await RulesMfaServer.StartAsync(clock);
        await using var serverLifetime = server;
        await using var app = await StartTenantAsync(server);

        // The page's QR image, read by the device as a camera would.
        using var browser = new FormBrowser();
        var enrollPage = await LoginFlow.SignInAsync(browser, app, Owner, Password);
        var qrImage = Path.Combine(devices.Path, "qr.png");
        await File.WriteAllBytesAsync(qrImage, Convert.FromBase64String(enrollPage.Document.GetElementById("push-qr")!.GetAttribute("src")!.Split(',')[1]));
        var device = new PushDevice(Path.Combine(devices.Path, "tickets", "device.json"));
        await device.RunOkAsync("enroll", "--qr", qrImage);
        var twice = await new PushDevice(Path.Combine(devices.Path, "tickets", "second.json")).RunAsync("enroll", "--qr", qrImage);
        await FollowContinueAsync(browser, await PushPages.SubmitAsync(browser, enrollPage, "confirm"));

        await server.AddUserAsync(Tenant, "late@push.example", Password);
        using var late = new FormBrowser();
        var lateUri = (await LoginFlow.SignInAsync(late, app, "late@push.example", Password)).Text("push-enrollment-uri")!;
        clock.Offset = PushTickets.Lifetime;
        var expired = await new PushDevice(Path.Combine(devices.Path, "tickets", "late.json")).RunAsync("enroll", lateUri);
        clock.Offset = TimeSpan.Zero;

        using var signIn = new FormBrowser();
        await LoginFlow.SignInAsync(signIn, app, Owner, Password);
        var waiting = (await device.PendingAsync()).Single();
        var reset = CliRun.Of("user", "reset-mfa", "--tenant", Tenant, "--email", Owner, "--data-folder", server.DataFolder);
        var pendingAfterReset = await device.RunAsync("pending");
        var answerAfterReset = await PushDevice.ResolveAsync(device.ResolveUrl, waiting.TransactionToken, device.Answer(waiting, digits: "00"));
        var left = await server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().Set<PushDeviceRecord>().CountAsync());

        Assert.Multiple(() =>
        {
            Assert.That(twice.ExitCode, Is.EqualTo(1));
            Assert.That(twice.Error, Does.Contain("This enrollment ticket was already used: a ticket enrolls one device. (invalid_ticket)"));
            Assert.That(expired.ExitCode, Is.EqualTo(1));
            Assert.That(expired.Error, Does.Contain("This enrollment ticket has expired: tickets last 5 minutes."));
            Assert.That(reset.Output, Does.Contain("1 push device(s)"));
            Assert.That(pendingAfterReset.ExitCode, Is.EqualTo(1));
            Assert.That(pendingAfterReset.Error, Does.Contain("This device is not enrolled here (it may have been removed)"));
            Assert.That(answerAfterReset, Is.EqualTo((401, "invalid_token")));
            Assert.That(left, Is.Zero);
        });
    }

    [Test]
    public async Task PushRequests_AfterFiveInABurst_AreRefusedNamingTheLimit()
    {
        var server = await RulesMfaServer.StartAsync();
        await using var serverLifetime = server;
        await using var app = await StartTenantAsync(server);
        await EnrollAsync(app, "burst");
        using var browser = new FormBrowser();

        var page = await LoginFlow.SignInAsync(browser, app, Owner, Password);
        for (var sent = 1; sent < 6; sent++)
        {
            page = await PushPages.SubmitAsync(browser, page, "send");
        }

        var owner = await server.GetUserAsync(Tenant, Owner);
        var requests = await server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().Set<PushTransactionRecord>().CountAsync(record => record.UserId == owner.Id));
        Assert.Multiple(() =>
        {
            Assert.That(page.Text("push-notice"), Does.StartWith("Too many push requests: at most 5 at once and 5 a minute. Wait "));
            Assert.That(page.Document.GetElementById("push-digits"), Is.Null, "no request is waiting");
            Assert.That(requests, Is.EqualTo(PushRequestBucket.Burst), "the first at sign-in and four sent again; the sixth refused");
        });
    }

    [Test]
    public async Task Rules_RankPushFirstForAny_AndChallengeWithReachesIt()
    {
        var server = await RulesMfaServer.StartAsync();
        await using var serverLifetime = server;
        await using var app = await StartTenantAsync(server);
        await EnrollAsync(app, "ranking");
        await GiveAuthenticatorAppAsync(server);

        async Task<FormBrowser.Page> ChallengeWithAsync(string rule)
        {
            await server.SetRulesAsync(Tenant, ("010-mfa", rule));
            using var browser = new FormBrowser();
            return await LoginFlow.SignInAsync(browser, app, Owner, Password);
        }

        var any = await ChallengeWithAsync("function (user, context, callback) { context.multifactor = { provider: 'any' }; callback(null, user, context); }");
        var pushOnly = await ChallengeWithAsync("exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: 'push-notification' }); };");
        var otpOnly = await ChallengeWithAsync("function (user, context, callback) { context.multifactor = { provider: 'google-authenticator' }; callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(any.Document.GetElementById("push-digits"), Is.Not.Null, "push before the authenticator app, as Auth0 ranks them");
            Assert.That(any.Document.GetElementById("use-otp"), Is.Not.Null, "the app as another method");
            Assert.That(pushOnly.Document.GetElementById("push-digits"), Is.Not.Null);
            Assert.That(pushOnly.Document.GetElementById("use-otp"), Is.Null, "challengeWith push offers push only");
            Assert.That(otpOnly.Document.GetElementById("push-digits"), Is.Null);
            Assert.That(otpOnly.Document.GetElementById("use-push-notification"), Is.Null);
        });
    }

    private static Task<RelyingParty> StartTenantAsync(RulesMfaServer server) => PushTenant.StartAsync(server);

    private Task<PushDevice> EnrollAsync(RelyingParty app, string name) => PushTenant.EnrollAsync(app, Path.Combine(devices.Path, name, "device.json"));

    /// <summary>Gives the owner a confirmed authenticator app as well, straight in the database.</summary>
    private static Task GiveAuthenticatorAppAsync(RulesMfaServer server) => server.WithServicesAsync(async services =>
    {
        var owner = await services.GetRequiredService<RulesMfaDbContext>().Users.SingleAsync(user => user.Email == Owner);
        var (id, _) = await services.GetRequiredService<RulesMfa.Host.Factors.Totp.TotpService>().StartEnrollmentAsync(owner.Id, CancellationToken.None);
        return await services.GetRequiredService<RulesMfaDbContext>().TotpEnrollments.Where(record => record.Id == id)
            .ExecuteUpdateAsync(record => record.SetProperty(value => value.Confirmed, true));
    });

    private static Task<FormBrowser.Page> FollowContinueAsync(FormBrowser browser, FormBrowser.Page saved) => PushTenant.ContinueAsync(browser, saved);
}
