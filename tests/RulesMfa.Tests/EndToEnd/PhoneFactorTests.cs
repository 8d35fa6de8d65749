using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Host.Factors.Phone;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Cli;
using RulesMfa.Tests.Oidc;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The phone factor through the real pages and the stock OIDC client, with the development outbox: enrollment by text
/// message, sign-in by text and by voice, wrong and expired codes, the sending limits, the rules' view and their
/// preferred method, and <c>reset-mfa</c>.
/// </summary>
[NonParallelizable]
public sealed class PhoneFactorTests
{
    private const string Tenant = "phone";
    private const string VoiceTenant = "phonevoice";
    private const string Password = "a long enough password";
    private readonly ShiftedTimeProvider clock = new();
    private readonly TempFolder logFolder = new();
    private RulesMfaServer server = null!;
    private RelyingParty app = null!;
    private RelyingParty voiceApp = null!;
    private int users;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync(clock, "--Server:LogFile", LogFile);
        var settings = new TenantSettings
        {
            EnabledFactors = ["otp", "phone", "recovery-code"],
            Phone = new PhoneSettings { MessageTypes = [PhoneChannel.Sms, PhoneChannel.Voice] },
        };
        await server.AddTenantAsync(Tenant, settings);
        await server.SetRulesAsync(Tenant, ("010-mfa", "function (user, context, callback) { context.multifactor = { provider: 'any' }; callback(null, user, context); }"));
        app = await RelyingParty.StartAsync(server, Tenant, "phone-web");
        await server.AddTenantAsync(VoiceTenant, settings);
        await server.SetRulesAsync(VoiceTenant, ("010-voice",
            "exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: 'phone', options: { preferredMethod: 'voice' } }); };"));
        voiceApp = await RelyingParty.StartAsync(server, VoiceTenant, "voice-web");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await voiceApp.DisposeAsync();
        await app.DisposeAsync();
        await server.DisposeAsync();
        logFolder.Dispose();
    }

    private string LogFile => Path.Combine(logFolder.Path, "rulesmfa.json");

    [SetUp]
    public void ResetClock() => clock.Offset = TimeSpan.Zero;

    [Test]
    public async Task Enroll_PhoneByTextMessage_ThenSignInWithATextedCode()
    {
        var email = await NewUserAsync();
        const string Number = "+16502530001";
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, app, email, Password);
            var phoneForm = await LoginFlow.FollowAsync(enrolling, enrollment, "use-phone");
            var sent = await enrolling.SubmitAsync(phoneForm, new Dictionary<string, string> { ["Number"] = "+1 (650) 253-0001", ["Channel"] = "sms" }, formWithField: "Number");
            var saved = await LoginFlow.SubmitCodeAsync(enrolling, sent, PhoneOutbox.LatestCode(server, Number));
            Assert.That(saved.Text("recovery-code"), Is.Not.Null, $"the first enrollment issues the recovery code:\n{saved.Html}");
            await LoginFlow.FollowAsync(enrolling, saved, "continue");
            Assert.That(LoginFlow.Amr(await LoginFlow.MeAsync(enrolling, app)), Does.Contain("sms"));
        }

        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");
        var signedIn = await LoginFlow.SubmitCodeAsync(browser, codeForm, PhoneOutbox.LatestCode(server, Number));
        var me = await LoginFlow.MeAsync(browser, app);
        var messages = PhoneOutbox.MessagesTo(server, Number);

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Text("phone-number"), Is.EqualTo("XXXXXXXX01"), "the number is masked");
            Assert.That(messages.Select(message => (message.Channel, message.Action)),
                Is.EqualTo(new[] { ("sms", "Enrollment"), ("sms", "SecondFactorAuthentication") }));
            Assert.That(messages[0].Text, Does.Match(@"^\d{6} is your verification code for phone\. Please enter this code to verify your enrollment\.$"));
            Assert.That(messages[1].Text, Does.Match(@"^\d{6} is your verification code for phone$"));
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"));
            Assert.That(LoginFlow.Amr(me), Is.SupersetOf(new[] { "mfa", "sms" }));
        });
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(PhoneOutbox.PathOf(server)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "the outbox holds live codes");
        }
    }

    [Test]
    public async Task SignIn_WithAVoiceCode_HearsTheDigitsOneByOne_AndEarnsTel()
    {
        var (email, number) = await UserWithPhoneAsync("02");
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "voice" }, formWithField: "Channel");
        var call = PhoneOutbox.MessagesTo(server, number).Single();
        var signedIn = await LoginFlow.SubmitCodeAsync(browser, codeForm, PhoneOutbox.LatestCode(server, number));
        var me = await LoginFlow.MeAsync(browser, app);

        Assert.Multiple(() =>
        {
            Assert.That(call.Channel, Is.EqualTo("voice"));
            Assert.That(call.Text, Does.Match(@"^\d, \d, \d, \d, \d, \d is your verification code for phone$"));
            Assert.That(codeForm.Html, Does.Contain("Code we read out on the call to"));
            Assert.That(signedIn.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"));
            Assert.That(LoginFlow.Amr(me), Is.SupersetOf(new[] { "mfa", "tel" }));
        });
    }

    [Test]
    public async Task SignIn_WrongCode_AndACodeOlderThanFiveMinutes_AreRefused()
    {
        var (email, number) = await UserWithPhoneAsync("03");
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");
        var code = PhoneOutbox.LatestCode(server, number);

        var wrong = await LoginFlow.SubmitCodeAsync(browser, codeForm, code == "000000" ? "111111" : "000000");
        clock.Offset = PhoneCodes.Lifetime + TimeSpan.FromSeconds(1);
        var expired = await LoginFlow.SubmitCodeAsync(browser, wrong, code);
        var bucket = CodeAttempts.KeyFor((await server.GetUserAsync(Tenant, email)).Id);
        var attemptsLeft = await server.WithServicesAsync(services =>
            services.GetRequiredService<RulesMfaDbContext>().Throttles.AsNoTracking().SingleAsync(throttle => throttle.Key == bucket));

        Assert.Multiple(() =>
        {
            Assert.That(wrong.Text("mfa-error"), Does.Contain("not right, or it has expired"));
            Assert.That(expired.Text("mfa-error"), Does.Contain("not right, or it has expired"), "valid 5 minutes");
            Assert.That(expired.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), "still on the challenge");
            Assert.That(TimeSpan.FromTicks(attemptsLeft.FullAt - clock.GetUtcNow().UtcTicks), Is.GreaterThan(new AttemptLimits().RefillInterval),
                "both refused codes drew from the user's one bucket: more than one attempt from full (two taken, under one back in 5 minutes)");
        });
    }

    [Test]
    public async Task Send_EleventhMessageInAnHour_IsRefusedWithAClearPage()
    {
        var (email, number) = await UserWithPhoneAsync("04");
        using var browser = new FormBrowser();
        var page = await LoginFlow.SignInAsync(browser, app, email, Password);
        for (var send = 0; send < PhoneCodes.MaxMessagesPerWindow; send++)
        {
            page = await browser.SubmitAsync(page, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");
            Assert.That(page.Text("mfa-error"), Is.Null, $"send {send + 1} of {PhoneCodes.MaxMessagesPerWindow} is allowed");
        }

        var eleventh = await browser.SubmitAsync(page, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");

        Assert.Multiple(() =>
        {
            Assert.That(eleventh.Text("mfa-error"), Does.StartWith("Too many codes were sent to your phone: at most 10 an hour. Wait 60 minute(s)"));
            Assert.That(eleventh.Document.GetElementById("code"), Is.Not.Null, "the code already sent can still be entered");
            Assert.That(PhoneOutbox.MessagesTo(server, number), Has.Count.EqualTo(PhoneCodes.MaxMessagesPerWindow), "the eleventh was not sent");
        });
    }

    [Test]
    public async Task Send_SecondVoiceCallInAnHour_IsRefused_ATextMessageStillGoes()
    {
        var (email, number) = await UserWithPhoneAsync("05");
        using var browser = new FormBrowser();
        var page = await LoginFlow.SignInAsync(browser, app, email, Password);

        var firstCall = await browser.SubmitAsync(page, new Dictionary<string, string> { ["Channel"] = "voice" }, formWithField: "Channel");
        var secondCall = await browser.SubmitAsync(firstCall, new Dictionary<string, string> { ["Channel"] = "voice" }, formWithField: "Channel");
        var text = await browser.SubmitAsync(secondCall, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");

        Assert.Multiple(() =>
        {
            Assert.That(firstCall.Text("mfa-error"), Is.Null);
            Assert.That(secondCall.Text("mfa-error"), Does.StartWith("You can get only 1 call an hour. Ask for a text message"));
            Assert.That(text.Text("mfa-error"), Is.Null);
            Assert.That(PhoneOutbox.MessagesTo(server, number).Select(message => message.Channel), Is.EqualTo(new[] { "voice", "sms" }));
        });
    }

    [Test]
    public async Task Rules_PreferredMethodVoice_OffersOnlyTheCall_AndATextMessageIsRefused()
    {
        var (email, number) = await UserWithPhoneAsync("06", VoiceTenant);
        using var browser = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(browser, voiceApp, email, Password);
        var smsPosted = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");
        var called = await browser.SubmitAsync(smsPosted, new Dictionary<string, string>(), formWithField: "Channel");

        Assert.Multiple(() =>
        {
            Assert.That(challenge.Document.QuerySelector("input[name=Channel]")?.GetAttribute("type"), Is.EqualTo("hidden"));
            Assert.That(challenge.Document.QuerySelector("input[name=Channel]")?.GetAttribute("value"), Is.EqualTo("voice"));
            Assert.That(smsPosted.Text("mfa-error"), Does.StartWith("Pick how to receive the code"));
            Assert.That(PhoneOutbox.MessagesTo(server, number).Select(message => message.Channel), Is.EqualTo(new[] { "voice" }), "only the call went out");
            Assert.That(called.Text("mfa-error"), Is.Null);
        });
    }

    [Test]
    public async Task Rules_SeeThePhoneEnrollment_WithAMaskedNumber()
    {
        var (email, _) = await UserWithPhoneAsync("07");
        using var browser = new FormBrowser();

        await LoginFlow.SignInAsync(browser, app, email, Password);
        var input = await server.WithServicesAsync(async services =>
        {
            var database = services.GetRequiredService<RulesMfaDbContext>();
            var userId = (await database.Users.SingleAsync(user => user.Email == email)).Id;
            return JsonNode.Parse((await database.Decisions.Where(decision => decision.UserId == userId).OrderByDescending(decision => decision.Id).FirstAsync()).InputJson)!;
        });

        Assert.Multiple(() =>
        {
            Assert.That(input["user"]!["enrolledFactors"]![0]!.ToJsonString(), Is.EqualTo("""{"type":"phone","options":{"phone_number":"XXXXXXXX07"}}"""));
            Assert.That(input["user"]!["multifactor"]!.ToJsonString(), Is.EqualTo("""["guardian"]"""));
            Assert.That(input.ToJsonString(), Does.Not.Contain("6502530007"), "the whole number never reaches the rules");
        });
    }

    [Test]
    public async Task ForcedEnrollmentPost_WithOnlyThePassword_SendsNothingToTheAttackersNumber()
    {
        var (email, _) = await UserWithPhoneAsync("09");
        const string AttackersNumber = "+16502530099";
        using var attacker = new FormBrowser();

        var challenge = await LoginFlow.SignInAsync(attacker, app, email, Password);
        var token = challenge.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var refused = await FormBrowser.Page.FromAsync(await attacker.PostAsync($"{server.Issuer(Tenant)}/mfa/enroll?returnUrl=%2F", new Dictionary<string, string>
        {
            ["Factor"] = "phone", ["FactorAction"] = "send", ["Number"] = AttackersNumber, ["Channel"] = "sms", ["__RequestVerificationToken"] = token,
        }));

        Assert.Multiple(() =>
        {
            Assert.That(refused.Text("mfa-error"), Is.EqualTo("This sign-in does not offer to set up this factor."));
            Assert.That(PhoneOutbox.MessagesTo(server, AttackersNumber), Is.Empty);
        });
    }

    [Test]
    public async Task Code_PostedWithAnotherAction_IsNotChecked_SoItCannotDodgeTheAttemptBucket()
    {
        var (email, number) = await UserWithPhoneAsync("10");
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, email, Password);
        var codeForm = await browser.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");
        var token = codeForm.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var dodged = await FormBrowser.Page.FromAsync(await browser.PostAsync($"{server.Issuer(Tenant)}/mfa?returnUrl=%2F", new Dictionary<string, string>
        {
            ["Factor"] = "phone", ["FactorAction"] = "check", ["Code"] = PhoneOutbox.LatestCode(server, number), ["__RequestVerificationToken"] = token,
        }));
        var stillValid = await LoginFlow.SubmitCodeAsync(browser, codeForm, PhoneOutbox.LatestCode(server, number));

        Assert.Multiple(() =>
        {
            Assert.That(dodged.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa"), "an action that takes no attempt never passes a code");
            Assert.That(stillValid.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), "and the code was not used by it");
        });
    }

    [Test]
    public async Task ResetMfa_RemovesTheNumber_AndTheUserEnrollsAgain()
    {
        var (email, _) = await UserWithPhoneAsync("08");

        var run = CliRun.Of("user", "reset-mfa", "--tenant", Tenant, "--email", email, "--data-folder", server.DataFolder);
        using var browser = new FormBrowser();
        var next = await LoginFlow.SignInAsync(browser, app, email, Password);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error);
            Assert.That(run.Output, Does.Contain("1 phone number(s)"));
            Assert.That(next.Url.AbsolutePath, Is.EqualTo($"/{Tenant}/mfa/enroll"));
        });
    }

    [Test]
    public async Task Audit_EnrolledSentSucceededFailedAndRefused_NameTheChannelAndTheMaskedNumberOnly()
    {
        var email = await NewUserAsync();
        const string Number = "+16502530008";
        using (var enrolling = new FormBrowser())
        {
            var enrollment = await LoginFlow.SignInAsync(enrolling, app, email, Password);
            var phoneForm = await LoginFlow.FollowAsync(enrolling, enrollment, "use-phone");
            var sent = await enrolling.SubmitAsync(phoneForm, new Dictionary<string, string> { ["Number"] = Number, ["Channel"] = "sms" }, formWithField: "Number");
            await LoginFlow.SubmitCodeAsync(enrolling, sent, PhoneOutbox.LatestCode(server, Number));
        }

        using (var signingIn = new FormBrowser())
        {
            var challenge = await LoginFlow.SignInAsync(signingIn, app, email, Password);
            var codeForm = await signingIn.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "sms" }, formWithField: "Channel");
            var code = PhoneOutbox.LatestCode(server, Number);
            var wrong = await LoginFlow.SubmitCodeAsync(signingIn, codeForm, code == "000000" ? "111111" : "000000");
            await LoginFlow.SubmitCodeAsync(signingIn, wrong, code);
        }

        using (var calling = new FormBrowser())
        {
            var challenge = await LoginFlow.SignInAsync(calling, app, email, Password);
            var called = await calling.SubmitAsync(challenge, new Dictionary<string, string> { ["Channel"] = "voice" }, formWithField: "Channel");
            await calling.SubmitAsync(called, new Dictionary<string, string> { ["Channel"] = "voice" }, formWithField: "Channel");
        }

        var userId = (await server.GetUserAsync(Tenant, email)).Id;
        var codes = PhoneOutbox.MessagesTo(server, Number).Select(message => PhoneOutbox.CodeIn(message.Text)).ToList();
        var log = File.ReadAllText(LogFile);
        var events = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        IReadOnlyList<JsonObject> Audit(string name) =>
            events.Where(line => line["AuditEvent"]?.GetValue<string>() == name && line["UserId"]?.GetValue<string>() == userId).ToList();
        static string Value(JsonObject line, string property) => line[property]!.ToString().ToLowerInvariant();
        static string Rendered(JsonObject line) =>
            Regex.Replace(line["@mt"]!.GetValue<string>(), @"\{(\w+)\}", property => line[property.Groups[1].Value]?.ToString() ?? "");

        Assert.Multiple(() =>
        {
            Assert.That(Audit("mfa.phone-sent").Select(Rendered), Is.EqualTo(new[]
            {
                $"Audit mfa.phone-sent: a text message code to confirm a new number was sent to XXXXXXXX08 of user {userId} of tenant {Tenant} through outbox",
                $"Audit mfa.phone-sent: a text message code to sign in was sent to XXXXXXXX08 of user {userId} of tenant {Tenant} through outbox",
                $"Audit mfa.phone-sent: a voice call code to sign in was sent to XXXXXXXX08 of user {userId} of tenant {Tenant} through outbox",
            }));
            Assert.That(Audit("mfa.phone-enrolled").Select(Rendered),
                Is.EqualTo(new[] { $"Audit mfa.phone-enrolled: user {userId} of tenant {Tenant} confirmed the phone number XXXXXXXX08 by text message" }));
            Assert.That(Audit("rules.decided").Select(Rendered), Has.Some.StartWith($"Audit rules.decided: rules decided mfa for user {userId} of tenant {Tenant} on client ")
                .And.All.Match(@"; plan (challenge|enroll): .*; rules 010-mfa=ok$"));
            Assert.That(Audit("mfa.enrolled").Select(line => Value(line, "Factor")), Is.EqualTo(new[] { "phone" }));
            Assert.That(Audit("mfa.failed").Select(line => Value(line, "Factor")), Is.EqualTo(new[] { "phone" }), "the wrong code");
            Assert.That(Audit("mfa.succeeded").Select(line => Value(line, "Factor")), Has.Some.EqualTo("phone"), "the right code");
            Assert.That(Audit("mfa.phone-send-refused").Select(Rendered),
                Has.One.StartWith($"Audit mfa.phone-send-refused: a voice call code for user {userId} of tenant {Tenant} was refused by the limit voice-calls-per-hour until "));
            Assert.That(events.Where(line => line["@mt"]?.GetValue<string>().Contains("written to the outbox", StringComparison.Ordinal) == true).Select(Rendered),
                Has.Some.StartWith("A text message to XXXXXXXX08 written to the outbox ").And.Some.StartWith("A voice call to XXXXXXXX08 written to the outbox "),
                "the outbox's log line shows the last two digits");
            Assert.That(log, Does.Not.Contain(Number[2..]), "never the whole number");
            Assert.That(codes, Has.Count.EqualTo(3).And.All.Matches<string>(code => !Regex.IsMatch(log, $@"(?<!\d){code}(?!\d)")), "never a code");
        });
    }

    private async Task<string> NewUserAsync(string tenant = Tenant)
    {
        var email = $"user{Interlocked.Increment(ref users)}@{tenant}.example";
        await server.AddUserAsync(tenant, email, Password);
        return email;
    }

    /// <summary>A user whose phone number (ending in <paramref name="lastTwo"/>) was confirmed earlier.</summary>
    private async Task<(string Email, string Number)> UserWithPhoneAsync(string lastTwo, string tenant = Tenant)
    {
        var email = await NewUserAsync(tenant);
        var number = $"+165025300{lastTwo}";
        var user = await server.GetUserAsync(tenant, email);
        await server.WithServicesAsync(async services =>
        {
            var database = services.GetRequiredService<RulesMfaDbContext>();
            database.Add(new PhoneNumberRecord { UserId = user.Id, Number = number, Confirmed = true, CreatedAt = DateTimeOffset.UtcNow });
            return await database.SaveChangesAsync();
        });
        return (email, number);
    }
}
