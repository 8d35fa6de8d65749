using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// <see cref="RuleOutputs"/>, where the pipeline's tests saw only one output at a time: the size and depth checks
/// empty every output over the bound and name the first in a fixed order, keep one of exactly the bound, keep an
/// oversized MFA request without its junk (fail closed) and drop an oversized redirect; the log keeps its bound, says
/// once that it is full, still takes the engine's own verdicts, and cuts a long line at exactly its length. Written
/// for mutation testing (TESTING.md).
/// </summary>
public sealed class MutationRuleOutputsTests
{
    private static RuleOutputs Outputs() => new(maxLogEntries: 2, maxLogMessageLength: 5);

    private static JsonObject Sized(int bytes) => new() { ["a"] = new string('x', bytes - """{"a":""}""".Length) };

    [Test]
    public void DropOversized_EveryOutputOfExactlyTheBound_IsKept()
    {
        var outputs = Outputs();
        outputs.IdTokenClaims = Sized(20);
        outputs.AccessTokenClaims = Sized(20);
        outputs.Redirect = new string('r', 20);
        outputs.RequestProvider(new JsonObject { ["provider"] = "abcde" });

        Assert.Multiple(() =>
        {
            Assert.That(outputs.DropOversized(20), Is.Null);
            Assert.That(outputs.IdTokenClaims.ToJsonString(), Has.Length.EqualTo(20));
            Assert.That(outputs.AccessTokenClaims.ToJsonString(), Has.Length.EqualTo(20));
            Assert.That(outputs.Redirect, Has.Length.EqualTo(20));
            Assert.That(outputs.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"abcde"}"""));
        });
    }

    [Test]
    public void DropOversized_EmptiesEveryOutputOverTheBound_AndNamesTheFirst()
    {
        var outputs = Outputs();
        outputs.IdTokenClaims = Sized(20);
        outputs.AccessTokenClaims = Sized(21);
        outputs.AppMetadata["a"] = new string('x', 20);
        outputs.UserMetadata["a"] = new string('x', 20);
        outputs.RequestFactors(["phone"], enroll: false, new JsonObject { ["phone"] = new JsonObject { ["m"] = new string('v', 20) } });

        Assert.Multiple(() =>
        {
            Assert.That(outputs.DropOversized(20), Is.EqualTo("access token claims"));
            Assert.That(outputs.IdTokenClaims.Count, Is.EqualTo(1));
            Assert.That(outputs.AccessTokenClaims, Is.Empty);
            Assert.That(outputs.AppMetadata, Is.Empty);
            Assert.That(outputs.UserMetadata, Is.Empty);
            Assert.That(outputs.FactorOptions, Is.Empty);
            Assert.That(outputs.Factors, Is.EqualTo(new[] { "phone" }));
        });
    }

    [TestCase("app_metadata patch")]
    [TestCase("user_metadata patch")]
    [TestCase("factor options")]
    public void DropOversized_NamesEachOutput(string name)
    {
        var outputs = Outputs();
        var oversized = new JsonObject { ["a"] = new string('x', 30) };
        switch (name)
        {
            case "app_metadata patch": outputs.AppMetadata["a"] = oversized; break;
            case "user_metadata patch": outputs.UserMetadata["a"] = oversized; break;
            default: outputs.RequestFactors(["email"], enroll: true, new JsonObject { ["email"] = oversized }); break;
        }

        Assert.That(outputs.DropOversized(20), Is.EqualTo(name));
    }

    [Test]
    public void DropOversized_MfaRequest_StandsWithoutWhatMadeItOversized()
    {
        var outputs = Outputs();
        outputs.RequestProvider(new JsonObject { ["provider"] = "duo", ["junk"] = new string('j', 40) });
        var withoutProvider = Outputs();
        withoutProvider.RequestProvider(new JsonObject { ["junk"] = new string('j', 40) });

        Assert.Multiple(() =>
        {
            Assert.That(outputs.DropOversized(30), Is.EqualTo("multifactor request"));
            Assert.That(outputs.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"duo"}"""));
            Assert.That(withoutProvider.DropOversized(30), Is.EqualTo("multifactor request"));
            Assert.That(withoutProvider.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"any"}"""));
        });
    }

    [Test]
    public void DropOversized_Redirect_IsDroppedAndNamedAfterTheOthers()
    {
        var outputs = Outputs();
        outputs.Redirect = new string('r', 21);
        var both = Outputs();
        both.Redirect = new string('r', 21);
        both.UserMetadata["a"] = new string('x', 20);

        Assert.Multiple(() =>
        {
            Assert.That(outputs.DropOversized(20), Is.EqualTo("redirect URL"));
            Assert.That(outputs.Redirect, Is.Null);
            Assert.That(both.DropOversized(20), Is.EqualTo("user_metadata patch"));
            Assert.That(both.Redirect, Is.Null);
        });
    }

    [Test]
    public void DropTooDeep_EmptiesOnlyTheOutputsDeeperThanTheBound()
    {
        var outputs = Outputs();
        outputs.IdTokenClaims = new JsonObject { ["a"] = new JsonObject { ["b"] = 1 } };
        outputs.UserMetadata["a"] = new JsonObject { ["b"] = new JsonObject { ["c"] = 1 } };
        outputs.AppMetadata["a"] = new JsonObject { ["b"] = new JsonObject { ["c"] = 1 } };

        Assert.Multiple(() =>
        {
            Assert.That(outputs.DropTooDeep(2), Is.EqualTo("app_metadata patch"));
            Assert.That(outputs.IdTokenClaims.Count, Is.EqualTo(1));
            Assert.That(outputs.AppMetadata, Is.Empty);
            Assert.That(outputs.UserMetadata, Is.Empty);
            Assert.That(outputs.DropTooDeep(2), Is.Null);
        });
    }

    [Test]
    public void Log_PastItsBound_SaysSoOnceAndStillTakesTheEnginesVerdicts()
    {
        var outputs = Outputs();
        outputs.Log("r1", "info", "one");
        outputs.Log("r1", "info", "two");
        var fullAfterTwo = outputs.LogIsFull;
        outputs.Log("r2", "info", "three");
        outputs.Log("r2", "info", "four");
        outputs.Log("r2", "error", "done", always: true);

        Assert.Multiple(() =>
        {
            Assert.That(fullAfterTwo, Is.False);
            Assert.That(outputs.LogIsFull, Is.True);
            Assert.That(outputs.Logs, Is.EqualTo(new[]
            {
                new RuleLogEntry("r1", "info", "one"),
                new RuleLogEntry("r1", "info", "two"),
                new RuleLogEntry("r2", "warn", "log limit of 2 entries reached; later lines were dropped"),
                new RuleLogEntry("r2", "error", "done"),
            }));
        });
    }

    [Test]
    public void Log_LineOfExactlyItsLength_IsKeptWhole_AndALongerOneCut()
    {
        var outputs = new RuleOutputs(maxLogEntries: 10, maxLogMessageLength: 5);
        outputs.Log("r1", "info", "12345");
        outputs.Log("r1", "info", "123456");

        Assert.That(outputs.Logs.Select(entry => entry.Message), Is.EqualTo(new[] { "12345", "12345…" }));
    }

    [Test]
    public void RequestProvider_WithdrawsAnEarlierFactorRequest_AndRequestFactorsTheProvider()
    {
        var outputs = Outputs();
        outputs.RequestFactors(["otp", "otp", "email"], enroll: true, new JsonObject { ["email"] = new JsonObject() });
        string State() => $"{string.Join(",", outputs.Factors)} | {outputs.Enroll} | {outputs.FactorOptions.Count} | {outputs.Multifactor?.ToJsonString()}";
        var factorsFirst = State();
        outputs.RequestProvider(new JsonObject { ["provider"] = "any" });
        var providerAfter = State();
        outputs.RequestFactors(["phone"], enroll: false);

        Assert.Multiple(() =>
        {
            Assert.That(factorsFirst, Is.EqualTo("otp,email | True | 1 | "));
            Assert.That(providerAfter, Is.EqualTo(" | False | 0 | {\"provider\":\"any\"}"));
            Assert.That(State(), Is.EqualTo("phone | False | 0 | "));
        });
    }

    [Test]
    public void DropOversized_ClaimsAndMfaRequestBothOver_NamesTheClaims()
    {
        var outputs = Outputs();
        outputs.IdTokenClaims = Sized(1_025);
        outputs.RequestProvider(new JsonObject { ["provider"] = "any", ["junk"] = new string('x', 1_024) });

        Assert.Multiple(() =>
        {
            Assert.That(outputs.DropOversized(1_024), Is.EqualTo("ID token claims"));
            Assert.That(outputs.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"any"}"""));
        });
    }

    [Test]
    public void MergePatch_ReplacesTopLevelKeys_KeepsNullsForTheStore_AndCopiesTheValues()
    {
        var target = new JsonObject { ["a"] = 1, ["b"] = new JsonObject { ["x"] = 1 } };
        var patch = new JsonObject { ["b"] = new JsonObject { ["y"] = 2 }, ["c"] = null };

        RuleOutputs.MergePatch(target, patch);
        patch["b"]!["y"] = 3;

        Assert.That(target.ToJsonString(), Is.EqualTo("""{"a":1,"b":{"y":2},"c":null}"""));
    }

    [Test]
    public void RequestFactors_ReplacesTheEarlierFactorsAndOptions()
    {
        var outputs = Outputs();
        outputs.RequestFactors(["phone"], enroll: true, new JsonObject { ["phone"] = new JsonObject { ["preferredMethod"] = "voice" } });
        outputs.RequestFactors(["otp"], enroll: false);

        Assert.That($"{string.Join(",", outputs.Factors)} | {outputs.FactorOptions.ToJsonString()}", Is.EqualTo("otp | {}"));
    }
}
