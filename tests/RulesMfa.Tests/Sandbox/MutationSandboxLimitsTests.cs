using System.ComponentModel.DataAnnotations;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Every limit of <see cref="SandboxLimits"/> has the default its documentation (and SECURITY.md) states, and each
/// range is enforced at both ends, naming the field. Written for mutation testing
/// (TESTING.md): the older test checked five defaults and one range.
/// </summary>
public sealed class MutationSandboxLimitsTests
{
    [Test]
    public void Defaults_AreTheDocumentedOnes()
    {
        var limits = new SandboxLimits();

        Assert.Multiple(() =>
        {
            Assert.That(limits.RegexTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(100)));
            Assert.That(limits.MaxRecursionDepth, Is.EqualTo(256));
            Assert.That(limits.MaxRegexLength, Is.EqualTo(10_000));
            Assert.That(limits.MaxArraySize, Is.EqualTo(65_536));
            Assert.That(limits.MaxStringLength, Is.EqualTo(1_048_576));
            Assert.That(limits.MaxOutputBytes, Is.EqualTo(65_536));
            Assert.That(limits.MaxPromiseReactions, Is.EqualTo(10_000));
            Assert.That(limits.MaxBinaryBytes, Is.EqualTo(65_536));
            Assert.That(limits.MaxLogEntries, Is.EqualTo(100));
            Assert.That(limits.MaxLogMessageLength, Is.EqualTo(2_000));
            Assert.That(limits.OutputJsonBudget, Is.EqualTo(131_072), "twice the output limit");
        });
    }

    [TestCase(nameof(SandboxLimits.MaxStatements), 999, 1_000, 100_000_000, 100_000_001)]
    [TestCase(nameof(SandboxLimits.MaxRecursionDepth), 15, 16, 10_000, 10_001)]
    [TestCase(nameof(SandboxLimits.MaxRegexLength), 255, 256, 100_000, 100_001)]
    [TestCase(nameof(SandboxLimits.MaxStringLength), 1_023, 1_024, 64 << 20, (64 << 20) + 1)]
    [TestCase(nameof(SandboxLimits.MaxOutputBytes), 1_023, 1_024, 4 << 20, (4 << 20) + 1)]
    [TestCase(nameof(SandboxLimits.MaxPromiseReactions), 99, 100, 10_000_000, 10_000_001)]
    [TestCase(nameof(SandboxLimits.MaxBinaryBytes), 1_023, 1_024, 16 << 20, (16 << 20) + 1)]
    [TestCase(nameof(SandboxLimits.MaxLogEntries), 0, 1, 10_000, 10_001)]
    [TestCase(nameof(SandboxLimits.MaxLogMessageLength), 15, 16, 100_000, 100_001)]
    public void IntegerLimit_IsAcceptedInItsRangeAndRefusedOutsideNamingTheField(string field, int below, int lowest, int highest, int above)
    {
        var property = typeof(SandboxLimits).GetProperty(field)!;

        Assert.Multiple(() =>
        {
            foreach (var value in new[] { lowest, highest })
            {
                var limits = new SandboxLimits();
                property.SetValue(limits, value);
                Assert.That(limits.Validate, Throws.Nothing, $"{field} = {value}");
            }

            foreach (var value in new[] { below, above })
            {
                var limits = new SandboxLimits();
                property.SetValue(limits, value);
                Assert.That(limits.Validate, Throws.TypeOf<ValidationException>().With.Message.Contains(field), $"{field} = {value}");
            }
        });
    }

    [Test]
    public void TimeLimitsAndSizes_OutOfRange_AreRefusedNamingTheField()
    {
        var cases = new (string Field, Action<SandboxLimits> Set)[]
        {
            (nameof(SandboxLimits.RuleTimeout), limits => limits.RuleTimeout = TimeSpan.Zero),
            (nameof(SandboxLimits.RuleTimeout), limits => limits.RuleTimeout = TimeSpan.FromSeconds(31)),
            (nameof(SandboxLimits.PipelineTimeout), limits => limits.PipelineTimeout = TimeSpan.FromSeconds(61)),
            (nameof(SandboxLimits.RegexTimeout), limits => limits.RegexTimeout = TimeSpan.FromSeconds(6)),
            (nameof(SandboxLimits.MaxMemoryBytes), limits => limits.MaxMemoryBytes = (1L << 30) + 1),
            (nameof(SandboxLimits.MaxMemoryBytes), limits => limits.MaxMemoryBytes = (1L << 20) - 1),
            (nameof(SandboxLimits.MaxArraySize), limits => limits.MaxArraySize = 1_023),
            (nameof(SandboxLimits.MaxArraySize), limits => limits.MaxArraySize = (1u << 24) + 1),
        };

        Assert.Multiple(() =>
        {
            foreach (var (field, set) in cases)
            {
                var limits = new SandboxLimits();
                set(limits);
                Assert.That(limits.Validate, Throws.TypeOf<ValidationException>().With.Message.Contains(field), field);
            }
        });
    }
}
