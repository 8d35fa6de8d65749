using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using RulesMfa.Host.Factors.Push;

namespace RulesMfa.Tests.Factors.Push;

/// <summary>The device's answer is read by Microsoft.IdentityModel and then checked claim by claim; each refusal says which.</summary>
public sealed class PushAnswerVerifierTests
{
    private const string Identifier = "device-1";
    private const string Challenge = "the-challenge";
    private readonly ManualTimeProvider clock = ManualTimeProvider.AtUnixSeconds(1_800_000_000);
    private RSA key = null!;

    [SetUp]
    public void CreateKey() => key = RSA.Create(2048);

    [TearDown]
    public void DisposeKey() => key.Dispose();

    [Test]
    public async Task Verify_AFreshApprovalWithTheDigits_Approves() =>
        Assert.That(await VerifyAsync(PushAnswers.Sign(key, Identifier, Challenge, "42", Now)), Is.TypeOf<PushAnswer.Approved>());

    [Test]
    public async Task Verify_ATurnedDownAnswer_DeclinesWithoutDigits() =>
        Assert.That(await VerifyAsync(PushAnswers.Sign(key, Identifier, Challenge, null, Now, accepted: false)), Is.TypeOf<PushAnswer.Declined>());

    [TestCase(31, Description = "exp more than 30 s after iat")]
    [TestCase(0, Description = "exp at iat")]
    [TestCase(-1, Description = "exp before iat")]
    public async Task Verify_ALifetimeOtherThanUpToThirtySeconds_IsRefused(int seconds) =>
        Assert.That(await ErrorAsync(PushAnswers.Sign(key, Identifier, Challenge, "42", Now, TimeSpan.FromSeconds(seconds))), Is.EqualTo("invalid_lifetime"));

    [Test]
    public async Task Verify_AfterExpiryAndTheAllowedSkew_IsRefusedAsExpired()
    {
        var answer = PushAnswers.Sign(key, Identifier, Challenge, "42", Now);
        clock.Advance(PushClaims.MaxLifetime + PushAnswerVerifier.ClockSkew);

        Assert.That(await ErrorAsync(answer), Is.EqualTo("expired_answer"));
    }

    [Test]
    public async Task Verify_IssuedInTheFuture_IsRefused() =>
        Assert.That(await ErrorAsync(PushAnswers.Sign(key, Identifier, Challenge, "42", Now.AddMinutes(1))), Is.EqualTo("invalid_lifetime"));

    [Test]
    public async Task Verify_ClaimsNotOfThisDeviceOrRequest_AreRefusedByName()
    {
        using var other = RSA.Create(2048);

        var errors = new[]
        {
            await ErrorAsync(PushAnswers.Sign(other, Identifier, Challenge, "42", Now)),
            await ErrorAsync(PushAnswers.Sign(key, "another-device", Challenge, "42", Now)),
            await ErrorAsync(PushAnswers.Sign(key, Identifier, Challenge, "42", Now, audience: "http://server/other/api/resolve-transaction")),
            await ErrorAsync(PushAnswers.Sign(key, Identifier, "another-challenge", "42", Now)),
            await ErrorAsync(PushAnswers.Sign(key, Identifier, Challenge, "42", Now, method: "otp")),
            await ErrorAsync(PushAnswers.Sign(key, Identifier, Challenge, "24", Now)),
            await ErrorAsync(PushAnswers.Sign(key, Identifier, Challenge, null, Now)),
            await ErrorAsync(PushAnswers.Sign(key, Identifier, Challenge, "42", Now, algorithm: SecurityAlgorithms.RsaSsaPssSha256)),
            await ErrorAsync("not.a.jwt"),
        };

        Assert.That(errors, Is.EqualTo(new[]
        {
            "invalid_signature", "invalid_issuer", "invalid_audience", "wrong_transaction", "invalid_answer", "wrong_digits", "wrong_digits", "invalid_signature", "invalid_answer",
        }));
    }

    [Test]
    public void ProblemWith_KeysThatAreNotRs256OrTooSmall_NamesTheField()
    {
        using var small = RSA.Create(1024);
        var parameters = small.ExportParameters(false);

        Assert.Multiple(() =>
        {
            Assert.That(PushDeviceKey.ProblemWith(null), Does.StartWith("public_key is missing"));
            Assert.That(PushDeviceKey.ProblemWith(new PushPublicKey("EC", "sig", "ES256", "x", "y")), Does.StartWith("public_key must be an RSA key"));
            Assert.That(PushDeviceKey.ProblemWith(new PushPublicKey("RSA", "sig", "RS256", "!!", "AQAB")), Does.StartWith("public_key.n and public_key.e"));
            Assert.That(PushDeviceKey.ProblemWith(new PushPublicKey("RSA", "sig", "RS256", Base64Url.EncodeToString(parameters.Modulus), "AQAB")),
                Is.EqualTo("public_key.n must be a modulus of 2048 to 4096 bits"));
        });
    }

    private DateTime Now => clock.Now.UtcDateTime;

    private async Task<string?> ErrorAsync(string answer) => (await VerifyAsync(answer)) is PushAnswer.Refused refused ? refused.Error : null;

    private Task<PushAnswer> VerifyAsync(string answer)
    {
        var parameters = key.ExportParameters(false);
        var device = new PushDeviceRecord
        {
            EnrollmentId = "dev_1", UserId = "u", Identifier = Identifier, Name = "Phone", TokenHash = "", ProtectedTotpSecret = "", BaseUrl = "http://server/t",
            PublicKeyJson = JsonSerializer.Serialize(new PushPublicKey("RSA", "sig", "RS256", Base64Url.EncodeToString(parameters.Modulus), Base64Url.EncodeToString(parameters.Exponent))),
        };
        var transaction = new PushTransactionRecord { PublicId = "tx_1", UserId = "u", Challenge = Challenge, Digits = "42", Application = "App", Location = "", State = PushTransactionState.Pending };
        return new PushAnswerVerifier(clock).VerifyAsync(answer, device, transaction);
    }
}
