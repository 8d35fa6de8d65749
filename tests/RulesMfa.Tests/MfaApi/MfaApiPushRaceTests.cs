using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.MfaApi;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;
using RulesMfa.Tests.EndToEnd;
using RulesMfa.Tests.Oidc;
using RulesMfa.Tests.Support;
using static RulesMfa.Tests.MfaApi.MfaApiScenario;

namespace RulesMfa.Tests.MfaApi;

/// <summary>
/// Two <c>mfa-oob</c> grants confirming one push enrollment at once, both held until each has read the enrollment's ticket:
/// one gets the tokens, the other the MFA API's JSON error saying the enrollment was confirmed by another request.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MfaApiPushRaceTests
{
    private const string Tenant = "pushrace";

    private readonly TempFolder devices = new();
    private readonly HoldTicketReads hold = new();
    private RulesMfaServer server = null!;
    private MfaApiHttp api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        server = await RulesMfaServer.StartAsync(clock: null, services => services.ConfigureDbContext<RulesMfaDbContext>(options => options.AddInterceptors(hold)));
        await server.AddTenantAsync(Tenant, new TenantSettings { EnabledFactors = [FactorType.PushNotification, FactorType.Otp, FactorType.RecoveryCode] });
        await server.SetRulesAsync(Tenant, ("010-mfa", Rules));
        var (id, secret) = await MfaApiHttp.AddPasswordClientAsync(server, Tenant, "race-cli");
        api = new MfaApiHttp(server.Issuer(Tenant), id, secret);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
        devices.Dispose();
    }

    [Test]
    public async Task ConfirmPushEnrollment_TwoGrantsAtOnce_OneGetsTokens_TheOtherAClearJsonError()
    {
        const string Email = "racer@pushrace.example";
        await server.AddUserAsync(Tenant, Email, Password);
        var token = await MfaTokenAsync(api, Email);
        var (_, associated) = await api.AssociateAsync(token, new { authenticator_types = new[] { "oob" }, oob_channels = new[] { "auth0" } });
        var oobCode = associated!["oob_code"]!.GetValue<string>();
        await new PushDevice(Path.Combine(devices.Path, "device.json")).RunOkAsync("enroll", associated["barcode_uri"]!.GetValue<string>(), "--name", "Racer");
        hold.Arm(new ReadBarrier(2, "PushTickets"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => api.GrantAsync(MfaGrantTypes.Oob, token, ("oob_code", oobCode))));

        var loser = answers.Single(answer => answer.Status != HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(hold.Held, Is.EqualTo(2), "both grants read the confirmed ticket before either confirmed the device");
            Assert.That(answers.Count(answer => answer.Status == HttpStatusCode.OK), Is.EqualTo(1), "tokens once");
            Assert.That(loser.Status, Is.EqualTo(HttpStatusCode.BadRequest), loser.Body?.ToJsonString());
            Assert.That(loser.Body?.ToJsonString(), Is.EqualTo(
                """{"error":"access_denied","error_description":"This push enrollment was confirmed by another request at the same time: use the tokens that request received."}"""));
        });
    }

    /// <summary>Once armed, holds the first two reads of a confirmed ticket (the confirmation's first step) until both arrived.</summary>
    private sealed class HoldTicketReads : DbCommandInterceptor
    {
        private ReadBarrier? barrier;
        private int held;

        /// <summary>How many reads were held (at most two); later reads of confirmed tickets pass.</summary>
        public int Held => Math.Min(held, 2);

        public void Arm(ReadBarrier next) => barrier = next;

        public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (barrier is { } armed && command.CommandText.Contains("\"PushTickets\"", StringComparison.Ordinal)
                && command.CommandText.Contains("\"UsedAt\" IS NOT NULL", StringComparison.Ordinal) && Interlocked.Increment(ref held) <= 2)
            {
                await armed.StartTogetherAsync();
            }

            return result;
        }
    }
}
