using System.Diagnostics;
using System.Text.Json.Nodes;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// Auth0's own JavaScript client, <c>@auth0/auth0-auth-js</c> 1.16.0 (tests/mfa-api-client, installed by test.sh with
/// <c>npm ci</c>), through the whole MFA API journey against the real server: the password grant, <c>mfa_required</c>,
/// enrolling an authenticator app from its <c>barcode_uri</c>, verifying; then listing, challenging and verifying with a
/// code and with the recovery code; then an access token of the MFA API's audience removing the authenticator; and the
/// refusals as the client surfaces them (a used or tampered <c>mfa_token</c>, a wrong or replayed code, associate by a
/// password alone once enrolled), each with Auth0's error and description. The client
/// insists on <c>https://</c>: the server serves TLS with a test certificate that the Node.js process trusts through
/// <c>NODE_EXTRA_CA_CERTS</c> (no <c>customFetch</c>). Fails, never skips, when Node.js or the package is missing.
/// </summary>
[NonParallelizable]
public sealed class Auth0ClientJourneyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Test]
    public async Task Auth0AuthJs_EnrollsChallengesRecoversAndRemoves_ThroughTheMfaApi()
    {
        using var certificate = new TestCertificate();
        await using var server = await RulesMfaServer.StartAsync(certificate.ServerArguments);
        var api = await MfaApiScenario.StartTenantAsync(server, "journey", "journey-cli");
        const string email = "journey@cli.example";
        await server.AddUserAsync("journey", email, MfaApiScenario.Password);
        var input = new JsonObject
        {
            ["domain"] = new Uri(server.Issuer("journey")).Authority + "/journey",
            ["clientId"] = api.ClientId,
            ["clientSecret"] = api.ClientSecret,
            ["username"] = email,
            ["password"] = MfaApiScenario.Password,
        };

        var output = await RunAsync(input, certificate.CertificatePath);

        var first = output["first"]!;
        var second = output["second"]!;
        var third = output["third"]!;
        var fourth = output["fourth"]!;
        var refusals = output["refusals"]!;
        Assert.Multiple(() =>
        {
            Assert.That(Refusal(refusals["usedToken"]!), Is.EqualTo("MfaVerifyError 403 expired_token: mfa_token is expired"), "the first login's token, once it completed");
            Assert.That(Refusal(refusals["tamperedToken"]!), Is.EqualTo("MfaVerifyError 403 invalid_grant: Malformed mfa_token"));
            Assert.That(Refusal(refusals["wrongCode"]!), Is.EqualTo("MfaVerifyError 403 invalid_grant: Invalid otp_code."));
            Assert.That(Refusal(refusals["replayedCode"]!), Is.EqualTo("MfaVerifyError 403 invalid_grant: Invalid otp_code."), "the code the first login used");
            Assert.That(Refusal(refusals["alreadyEnrolled"]!), Is.EqualTo("MfaEnrollmentError 403 access_denied: User is already enrolled"));
            Assert.That(first["requirements"]!.ToJsonString(), Is.EqualTo("""{"enroll":[{"type":"otp"},{"type":"email"}]}"""));
            Assert.That(output["enrollment"]!["authenticatorType"]!.GetValue<string>(), Is.EqualTo("otp"));
            Assert.That(output["enrollment"]!["barcodeUri"]!.GetValue<string>(), Does.StartWith("otpauth://totp/Api%20Tenant:journey%40cli.example?secret="));
            Assert.That(Amr(first["tokens"]!), Is.EquivalentTo(new[] { "pwd", "otp", "mfa" }));
            Assert.That(second["requirements"]!.ToJsonString(), Is.EqualTo("""{"challenge":[{"type":"otp"},{"type":"email"},{"type":"recovery-code"}]}"""));
            Assert.That(second["authenticators"]!.AsArray().Select(item => item!["authenticatorType"]!.GetValue<string>()), Is.EquivalentTo(new[] { "otp", "oob", "recovery-code" }));
            Assert.That(second["authenticators"]!.AsArray().Single(item => item!["authenticatorType"]!.GetValue<string>() == "oob")!["oobChannels"]!.ToJsonString(),
                Is.EqualTo("""["email"]"""), "auth0-auth-js reads oob_channels");
            Assert.That(second["challenge"]!.ToJsonString(), Is.EqualTo("""{"challengeType":"otp"}"""));
            Assert.That(Amr(second["tokens"]!), Is.EquivalentTo(new[] { "pwd", "otp", "mfa" }));
            Assert.That(Amr(third["tokens"]!), Is.EquivalentTo(new[] { "pwd", "mfa" }));
            Assert.That(third["newRecoveryCode"]!.GetValue<string>(), Does.Match("^[A-Z0-9]{24}$"));
            Assert.That(fourth["requirements"]!.ToJsonString(), Does.StartWith("""{"challenge":"""), "the MFA API's audience demands MFA of a user with a factor");
            Assert.That(fourth["remaining"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()), Does.Not.Contain(fourth["deleted"]!.GetValue<string>()));
            Assert.That(fourth["remaining"]!.AsArray().Select(item => item!["authenticatorType"]!.GetValue<string>()), Does.Not.Contain("otp"));
        });
    }

    /// <summary>What the client surfaced of a refusal: its error class, the HTTP status, Auth0's error and description.</summary>
    private static string Refusal(JsonNode refusal) =>
        $"{refusal["name"]} {refusal["status"]} {refusal["error"]}: {refusal["description"]}";

    private static IEnumerable<string> Amr(JsonNode tokens) => tokens["amr"]!.AsArray().Select(value => value!.GetValue<string>());

    private static async Task<JsonNode> RunAsync(JsonObject input, string certificatePath)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "mfa-api-client");
        if (!File.Exists(Path.Combine(folder, "node_modules", "@auth0", "auth0-auth-js", "package.json")))
        {
            Assert.Fail($"{folder}/node_modules is missing: run ./test.sh, which installs it with npm (cd tests/mfa-api-client && npm ci).");
        }

        var start = new ProcessStartInfo("node", ["journey.mjs", input.ToJsonString()])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_EXTRA_CA_CERTS"] = certificatePath },
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("Node.js is missing: this test needs the machine's 'node' (Debian: apt-get install nodejs; ./test.sh installs it when run as root).");
            throw;
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"the journey did not finish within {Timeout.TotalSeconds} s: {await error}");
            }

            Assert.That(process.ExitCode, Is.Zero, () => $"auth0-auth-js failed: {error.Result}");
            return JsonNode.Parse(await output)!;
        }
    }
}
