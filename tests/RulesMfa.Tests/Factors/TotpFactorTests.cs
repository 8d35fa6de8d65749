using System.Text;
using OtpNet;
using RulesMfa.Engine.Factors;

namespace RulesMfa.Tests.Factors;

/// <summary>TOTP codes: the RFC 6238 vectors, the ±1 step window, replay and malformed input.</summary>
public sealed class TotpFactorTests
{
    /// <summary>RFC 6238 Appendix B: the SHA1 key is the 20 ASCII bytes "12345678901234567890".</summary>
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    /// <summary>1111111111 s is step 37037037 (1111111110 to 1111111139).</summary>
    private const long Now = 1111111111;

    private const long NowStep = Now / 30;

    private static readonly ManualTimeProvider Clock = ManualTimeProvider.AtUnixSeconds(Now);

    private static TotpFactor Factor(long unixSeconds) => new(ManualTimeProvider.AtUnixSeconds(unixSeconds));

    /// <summary>The 6-digit code for a step, computed by Otp.NET independently of the factor.</summary>
    private static string CodeFor(long step) =>
        new Totp(RfcKey).ComputeTotp(DateTime.UnixEpoch.AddSeconds(step * 30));

    [TestCase(59L, "94287082")]
    [TestCase(1111111109L, "07081804")]
    [TestCase(1111111111L, "14050471")]
    [TestCase(1234567890L, "89005924")]
    [TestCase(2000000000L, "69279037")]
    [TestCase(20000000000L, "65353130")]
    public void Verify_Rfc6238Sha1VectorWithEightDigits_SucceedsAtThatStep(long unixSeconds, string code)
    {
        var factor = new TotpFactor(ManualTimeProvider.AtUnixSeconds(unixSeconds), digits: 8);

        var result = factor.Verify(RfcKey, code, lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Succeeded(unixSeconds / 30)));
    }

    [TestCase(59L, "94287082")]
    [TestCase(1111111109L, "07081804")]
    [TestCase(1111111111L, "14050471")]
    [TestCase(1234567890L, "89005924")]
    [TestCase(2000000000L, "69279037")]
    [TestCase(20000000000L, "65353130")]
    public void Verify_Rfc6238Sha1VectorTruncatedToSixDigits_SucceedsWithTheProductFactor(long unixSeconds, string code)
    {
        var sixDigits = code[^6..];

        var result = Factor(unixSeconds).Verify(RfcKey, sixDigits, lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Succeeded(unixSeconds / 30)));
    }

    [TestCase(-1)]
    [TestCase(0)]
    [TestCase(1)]
    public void Verify_CodeWithinOneStepOfNow_Succeeds(int offset)
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, CodeFor(NowStep + offset), lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Succeeded(NowStep + offset)));
    }

    [TestCase(-2)]
    [TestCase(2)]
    [TestCase(-3)]
    [TestCase(10)]
    public void Verify_CodeTwoOrMoreStepsFromNow_IsInvalid(int offset)
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, CodeFor(NowStep + offset), lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Invalid()));
    }

    [Test]
    public void Verify_ClockMovedPastTheWindow_RefusesAnOldCode()
    {
        var clock = ManualTimeProvider.AtUnixSeconds(Now);
        var factor = new TotpFactor(clock);
        var code = CodeFor(NowStep);
        var before = factor.Verify(RfcKey, code, lastAcceptedStep: null);

        clock.Advance(TimeSpan.FromSeconds(60));
        var after = factor.Verify(RfcKey, code, lastAcceptedStep: null);

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(new TotpVerification.Succeeded(NowStep)));
            Assert.That(after, Is.EqualTo(new TotpVerification.Invalid()));
        });
    }

    [Test]
    public void Verify_WrongCode_IsInvalid()
    {
        var factor = new TotpFactor(Clock);
        var wrong = CodeFor(NowStep) == "000000" ? "000001" : "000000";

        var result = factor.Verify(RfcKey, wrong, lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Invalid()));
    }

    [Test]
    public void Verify_OtherKey_IsInvalid()
    {
        var factor = new TotpFactor(Clock);
        var otherKey = Encoding.ASCII.GetBytes("09876543210987654321");

        var result = factor.Verify(otherKey, CodeFor(NowStep), lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Invalid()));
    }

    [Test]
    public void Verify_SameStepAsLastAccepted_IsReplayed()
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, CodeFor(NowStep), lastAcceptedStep: NowStep);

        Assert.That(result, Is.EqualTo(new TotpVerification.Replayed()));
    }

    [Test]
    public void Verify_StepOlderThanLastAccepted_IsReplayed()
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, CodeFor(NowStep - 1), lastAcceptedStep: NowStep);

        Assert.That(result, Is.EqualTo(new TotpVerification.Replayed()));
    }

    [Test]
    public void Verify_StepNewerThanLastAccepted_Succeeds()
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, CodeFor(NowStep), lastAcceptedStep: NowStep - 1);

        Assert.That(result, Is.EqualTo(new TotpVerification.Succeeded(NowStep)));
    }

    [Test]
    public void Verify_PreviousStepNewerThanLastAccepted_Succeeds()
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, CodeFor(NowStep - 1), lastAcceptedStep: NowStep - 2);

        Assert.That(result, Is.EqualTo(new TotpVerification.Succeeded(NowStep - 1)));
    }

    [Test]
    public void Verify_SameCodeTwiceWithTheStoredStep_SucceedsThenIsReplayed()
    {
        var factor = new TotpFactor(Clock);
        var code = CodeFor(NowStep);
        var first = factor.Verify(RfcKey, code, lastAcceptedStep: null);
        var stored = ((TotpVerification.Succeeded)first).Step;

        var second = factor.Verify(RfcKey, code, lastAcceptedStep: stored);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new TotpVerification.Succeeded(NowStep)));
            Assert.That(second, Is.EqualTo(new TotpVerification.Replayed()));
        });
    }

    [Test]
    public void Verify_InvalidCodeAfterAnAcceptedStep_IsInvalidNotReplayed()
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, CodeFor(NowStep + 5), lastAcceptedStep: NowStep);

        Assert.That(result, Is.EqualTo(new TotpVerification.Invalid()));
    }

    [TestCase(" {0} ")]
    [TestCase("\t{0}\n")]
    public void Verify_CodeWithSurroundingWhiteSpace_Succeeds(string format)
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, string.Format(format, CodeFor(NowStep)), lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Succeeded(NowStep)));
    }

    [Test]
    public void Verify_CodeGroupedAsAppsShowIt_Succeeds()
    {
        var factor = new TotpFactor(Clock);
        var code = CodeFor(NowStep);

        var result = factor.Verify(RfcKey, $"{code[..3]} {code[3..]}", lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Succeeded(NowStep)));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("      ")]
    [TestCase("12345")]
    [TestCase("1234567")]
    [TestCase("12345a")]
    [TestCase("12-456")]
    [TestCase("+12345")]
    [TestCase("-12345")]
    [TestCase("123.45")]
    [TestCase("١٢٣٤٥٦")]
    [TestCase("１２３４５６")]
    [TestCase("123456\0")]
    public void Verify_MalformedCode_IsInvalid(string? code)
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, code, lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Invalid()));
    }

    [Test]
    public void Verify_ValidCodeWithAnExtraDigit_IsInvalid()
    {
        var factor = new TotpFactor(Clock);

        var result = factor.Verify(RfcKey, CodeFor(NowStep) + "0", lastAcceptedStep: null);

        Assert.That(result, Is.EqualTo(new TotpVerification.Invalid()));
    }

    [Test]
    public void Verify_EmptyKey_Throws()
    {
        var factor = new TotpFactor(Clock);

        Assert.Throws<ArgumentException>(() => factor.Verify([], "123456", lastAcceptedStep: null));
    }

    [Test]
    public void EnrollmentUri_ForANewKey_IsAnOtpauthTotpUriWithSha1SixDigitsThirtySeconds()
    {
        var secret = TotpSecret.Generate();

        var uri = new Uri(TotpFactor.EnrollmentUri(secret, "ada@example.com", "Demo Tenant"));

        var query = ParseQuery(uri.Query);
        Assert.Multiple(() =>
        {
            Assert.That(uri.Scheme, Is.EqualTo("otpauth"));
            Assert.That(uri.Host, Is.EqualTo("totp"));
            Assert.That(Uri.UnescapeDataString(uri.AbsolutePath), Is.EqualTo("/Demo Tenant:ada@example.com"));
            Assert.That(query["secret"], Is.EqualTo(secret.Base32));
            Assert.That(query["issuer"], Is.EqualTo("Demo Tenant"));
            Assert.That(query["algorithm"], Is.EqualTo("SHA1"));
            Assert.That(query["digits"], Is.EqualTo("6"));
            Assert.That(query["period"], Is.EqualTo("30"));
        });
    }

    [TestCase("ada:example", "Demo")]
    [TestCase("ada@example.com", "Demo:Tenant")]
    [TestCase("", "Demo")]
    [TestCase("ada@example.com", " ")]
    public void EnrollmentUri_NameWithColonOrEmpty_Throws(string accountName, string issuer)
    {
        var secret = TotpSecret.Generate();

        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => TotpFactor.EnrollmentUri(secret, accountName, issuer));
    }

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.TrimStart('?').Split('&')
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => Uri.UnescapeDataString(pair[1]));

    [Test]
    public void Verify_CodeSpacedOutToTwiceItsLength_SucceedsAndLongerIsInvalid()
    {
        var code = CodeFor(NowStep);
        var twelve = string.Join(' ', code[..5].ToCharArray()) + "  " + code[5];

        Assert.Multiple(() =>
        {
            Assert.That(twelve, Has.Length.EqualTo(12));
            Assert.That(new TotpFactor(Clock).Verify(RfcKey, twelve, lastAcceptedStep: null), Is.EqualTo(new TotpVerification.Succeeded(NowStep)));
            Assert.That(new TotpFactor(Clock).Verify(RfcKey, twelve.Insert(1, " "), lastAcceptedStep: null), Is.EqualTo(new TotpVerification.Invalid()));
        });
    }

    [Test]
    public void Arguments_MissingOrOutOfRange_ThrowNamingThem()
    {
        var secret = TotpSecret.Generate();

        Assert.Multiple(() =>
        {
            Assert.That(() => new TotpFactor(null!, digits: 6), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("timeProvider"));
            Assert.That(() => new TotpFactor(Clock, digits: 5), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("digits"));
            Assert.That(() => new TotpFactor(Clock, digits: 9), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("digits"));
            Assert.That(() => new TotpFactor(Clock).Verify(null!, "123456", null), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("secret"));
            Assert.That(() => new TotpFactor(Clock).Verify([], "123456", null), Throws.ArgumentException.With.Message.StartsWith("A TOTP key cannot be empty."));
            Assert.That(() => TotpFactor.EnrollmentUri(null!, "ada", "Demo"), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("secret"));
            Assert.That(() => TotpFactor.EnrollmentUri(secret, "ada:x", "Demo"), Throws.ArgumentException.With.Message.StartsWith("The account name cannot contain a colon."));
            Assert.That(() => TotpFactor.EnrollmentUri(secret, "ada", "Demo:x"), Throws.ArgumentException.With.Message.StartsWith("The issuer cannot contain a colon."));
        });
    }
}
