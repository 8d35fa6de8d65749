using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using RulesMfa.Host.Factors.Push;
using RulesMfa.Host.Storage;
using RulesMfa.Tests.Factors.Push;
using RulesMfa.Tests.Oidc;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>
/// The device API as README's "Push devices" section documents it: a device written from that section alone (plain
/// HTTP, its own key) enrolls, keeps its push credentials for a relay, lists and approves a sign-in; and a request that
/// waited its 5 minutes is over for the device, for its answer and for the page.
/// </summary>
[NonParallelizable]
public sealed class PushDeviceApiTests
{
    private const string Owner = PushTenant.Owner;
    private const string Password = PushTenant.Password;

    private readonly TempFolder devices = new();

    [OneTimeTearDown]
    public void DeleteDevices() => devices.Dispose();

    [Test]
    public async Task ADeviceWrittenFromTheReadme_EnrollsWithItsPushCredentials_AndApprovesASignIn()
    {
        await using var server = await RulesMfaServer.StartAsync();
        await using var app = await PushTenant.StartAsync(server);
        using var key = RSA.Create(2048);
        using var http = new HttpClient();

        // Enroll: the link's query names the ticket and the base URL; the device posts its key and push credentials.
        using var first = new FormBrowser();
        var enrollPage = await LoginFlow.SignInAsync(first, app, Owner, Password);
        var link = System.Web.HttpUtility.ParseQueryString(new Uri(enrollPage.Text("push-enrollment-uri")!).Query);
        var baseUrl = link["base_url"]!;
        var publicKey = key.ExportParameters(false);
        using var enroll = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/api/enroll")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["identifier"] = "handmade-device-1",
                ["name"] = "Handmade phone",
                ["push_credentials"] = new JsonObject { ["service"] = "FCM", ["token"] = "relay-token-1" },
                ["public_key"] = new JsonObject
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256",
                    ["n"] = Base64UrlEncoder.Encode(publicKey.Modulus), ["e"] = Base64UrlEncoder.Encode(publicKey.Exponent),
                },
            }),
        };
        enroll.Headers.TryAddWithoutValidation("Authorization", $"Ticket id=\"{link["enrollment_tx_id"]}\"");
        using var enrolledResponse = await http.SendAsync(enroll);
        var enrolled = JsonNode.Parse(await enrolledResponse.Content.ReadAsStringAsync())!;
        var stored = await server.WithServicesAsync(services => services.GetRequiredService<RulesMfaDbContext>().Set<PushDeviceRecord>().SingleAsync());
        await PushTenant.ContinueAsync(first, await PushPages.SubmitAsync(first, enrollPage, "confirm"));

        // A sign-in: the device lists it with its token, signs the documented answer, and the page goes on.
        using var second = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(second, app, Owner, Password);
        using var list = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/api/device-accounts/{enrolled["id"]}/pending-transactions?wait=5");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", enrolled["token"]!.GetValue<string>());
        using var listed = await http.SendAsync(list);
        var transaction = JsonNode.Parse(await listed.Content.ReadAsStringAsync())!["transactions"]![0]!;
        var answer = PushAnswers.Sign(key, "handmade-device-1", transaction["c"]!.GetValue<string>(), PushPages.Digits(challenge), DateTime.UtcNow,
            audience: baseUrl + "/api/resolve-transaction");
        var resolved = await PushDevice.ResolveAsync(baseUrl + "/api/resolve-transaction", transaction["txtkn"]!.GetValue<string>(), answer);
        await PushPages.SubmitAsync(second, challenge, "check");
        var amr = LoginFlow.Amr(await LoginFlow.MeAsync(second, app));

        Assert.Multiple(() =>
        {
            Assert.That((int)enrolledResponse.StatusCode, Is.EqualTo(200), enrolled.ToJsonString());
            Assert.That(MfaApi.MfaApiScenario.Fields(enrolled), Is.EqualTo(new[] { "id", "issuer", "token", "totp", "user_id" }));
            Assert.That(enrolled["id"]!.GetValue<string>(), Is.EqualTo(link["id"]));
            Assert.That(enrolled["issuer"]!.GetValue<string>(), Is.EqualTo("Push Inc."));
            Assert.That(enrolled["totp"]!.ToJsonString(), Does.Match("""^\{"secret":"[A-Z2-7]+","algorithm":"sha1","digits":6,"period":30\}$"""));
            Assert.That(stored.PushCredentialsJson, Is.EqualTo("""{"service":"FCM","token":"relay-token-1"}"""), "kept for a relay");
            Assert.That(stored.Identifier, Is.EqualTo("handmade-device-1"));
            Assert.That((int)listed.StatusCode, Is.EqualTo(200));
            Assert.That(transaction["application"]!.GetValue<string>(), Is.EqualTo("Push web"));
            Assert.That(transaction["ip"]!.GetValue<string>(), Is.EqualTo("127.0.0.1"));
            Assert.That(resolved, Is.EqualTo((204, "")));
            Assert.That(amr, Does.Contain("swk").And.Contain("mfa"));
        });
    }

    [Test]
    public async Task PushRequest_AfterItsFiveMinutes_IsOver_ForTheDeviceItsAnswerAndThePage()
    {
        var clock = new ShiftedTimeProvider();
        await using var server = await RulesMfaServer.StartAsync(clock);
        await using var app = await PushTenant.StartAsync(server);
        var device = await PushTenant.EnrollAsync(app, Path.Combine(devices.Path, "expiry", "device.json"));
        using var browser = new FormBrowser();
        var challenge = await LoginFlow.SignInAsync(browser, app, Owner, Password);
        var pending = (await device.PendingAsync()).Single();
        var digits = PushPages.Digits(challenge);

        clock.Offset = PushTransactions.Lifetime;
        var listedLater = await device.PendingAsync();
        var answer = await PushDevice.ResolveAsync(device.ResolveUrl, pending.TransactionToken,
            device.Answer(pending, digits: digits, issuedAt: DateTime.UtcNow + clock.Offset));
        var page = await PushPages.SubmitAsync(browser, challenge, "check");

        Assert.Multiple(() =>
        {
            Assert.That(listedLater, Is.Empty, "the device no longer lists it");
            Assert.That(answer, Is.EqualTo((400, "transaction_expired")), "an otherwise valid approval comes too late");
            Assert.That(page.Text("mfa-error"), Does.StartWith("That request is over (it expired or was used). Send a new one."));
            Assert.That(page.Document.GetElementById("push-digits"), Is.Null, "no request is waiting");
        });
    }
}
