using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>The warm-up runs really exercise what they are meant to warm, rather than failing early in silence.</summary>
public sealed class SandboxWarmupTests
{
    [Test]
    public void ModuleWarmupRule_RunsToItsEndWithoutError()
    {
        var decision = Some.Decision(Some.Login(), new RulePipelineSettings { Limits = { RuleTimeout = TimeSpan.FromSeconds(5) } }, SandboxWarmup.ModuleRule);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.Null, () => string.Join("; ", decision.Logs.Select(log => log.Message)));
            Assert.That(decision.IdTokenClaims["https://warmup/m"]!.ToJsonString(), Is.EqualTo("""[true,"admin","auth0|64f1c0ffee"]"""));
        });
    }
}
