using System.ComponentModel.DataAnnotations;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>SandboxEngineFactory</c>): a rule set is never built with limits out of range,
/// whoever made the settings (the host validates a tenant's, a library caller may not), so no engine runs unbounded.
/// </summary>
public sealed class MutationSandboxEngineFactoryTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void Pipeline_WithALimitOutOfRange_IsRefusedNamingTheLimit(bool freshEngine)
    {
        var settings = new RulePipelineSettings { FreshEnginePerLogin = freshEngine, Limits = { MaxLogEntries = 0 } };

        Assert.That(() => Some.Pipeline(settings, "function (user, context, callback) { callback(null, user, context); }"),
            Throws.TypeOf<ValidationException>().With.Message.Contains("MaxLogEntries"));
    }
}
