using RulesMfa.Engine.Sandbox;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Tests.Tenants;

public sealed class SandboxMaximumsTests
{
    private readonly SandboxMaximums maximums = new(SandboxMaximums.Defaults());

    [Test]
    public void Problem_DefaultLimits_IsNone()
    {
        Assert.That(maximums.Problem(new SandboxLimits()), Is.Null);
    }

    [Test]
    public void Problem_LimitAboveItsMaximum_NamesTheFieldAndTheMaximum()
    {
        var problem = maximums.Problem(new SandboxLimits { RuleTimeout = TimeSpan.FromSeconds(30) });

        Assert.Multiple(() =>
        {
            Assert.That(problem?.Field, Is.EqualTo("limits.ruleTimeout"));
            Assert.That(problem?.Message, Is.EqualTo("must be at most 00:00:05, this server's maximum"));
        });
    }

    [Test]
    public void Problem_StringCompilationWhereTheServerForbidsIt_SaysSo()
    {
        var strict = new SandboxMaximums(new SandboxLimits { AllowStringCompilation = false });

        var problem = strict.Problem(new SandboxLimits { AllowStringCompilation = true });

        Assert.That(problem?.Field, Is.EqualTo("limits.allowStringCompilation"));
        Assert.That(problem?.Message, Is.EqualTo("this server does not allow it (its maximum is false)"));
    }

    [Test]
    public void Clamp_LimitsAboveTheirMaximums_RunAtTheMaximums_AndTheRestAsSet()
    {
        var stored = new SandboxLimits
        {
            RuleTimeout = TimeSpan.FromSeconds(30), PipelineTimeout = TimeSpan.FromSeconds(60), MaxStatements = 100_000_000,
            MaxMemoryBytes = 8L << 20, MaxLogEntries = 7,
        };

        var clamped = maximums.Clamp(stored);

        Assert.Multiple(() =>
        {
            Assert.That(clamped.RuleTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(clamped.PipelineTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(clamped.MaxStatements, Is.EqualTo(10_000_000));
            Assert.That(clamped.MaxMemoryBytes, Is.EqualTo(8L << 20), "below its maximum: as set");
            Assert.That(clamped.MaxLogEntries, Is.EqualTo(7));
            Assert.That(maximums.Problem(clamped), Is.Null);
            Assert.That(stored.RuleTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)), "the stored settings are not changed");
        });
    }
}
