using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// How <see cref="RuleFaults"/> describes what stopped a rule, where the other tests looked only at the status: the
/// description and log line of odd thrown values, the stack guard's RangeError, and the faults no rule can cause on
/// purpose (an error of ours, a call .NET could not give memory to). Written against the survivors of the
/// mutation run of RuleFaults.cs (TESTING.md).
/// </summary>
public sealed class MutationRuleFaultsTests
{
    private static MfaDecision Throwing(string statements) =>
        Some.Decision($"function (user, context, callback) {{\n  {statements}\n}}");

    [Test]
    public void ErrorWithANonStringMessage_IsDescribedAsTheWholeError()
    {
        var decision = Throwing("const error = new TypeError('x'); error.message = 42; throw error;");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "TypeError: 42")));
            Assert.That(decision.Logs.Single(), Is.EqualTo(new RuleLogEntry("r1", "error", "uncaught TypeError: 42 (at 2:63)")));
        });
    }

    [Test]
    public void ThrownString_IsTheDescription()
    {
        var decision = Throwing("throw 'no entry';");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "no entry")));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(decision.Logs.Single().Message, Is.EqualTo("uncaught no entry (at 2:9)"));
        });
    }

    [Test]
    public void ErrorWhoseNameCannotBeRead_IsDeniedWithAPlainDescription()
    {
        var decision = Throwing("throw { get name() { throw new Error('trap'); }, message: 'hidden' };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "the rule failed with an error that could not be read")));
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
        });
    }

    [Test]
    public void UnauthorizedError_IsUnauthorized()
    {
        var decision = Throwing("throw new UnauthorizedError('blocked for now');");

        Assert.That(decision.Error, Is.EqualTo(new DecisionError("unauthorized", "blocked for now")));
    }

    [Test]
    public void RegexRunningPastItsTimeout_IsTheRegexLimit_NamingIt()
    {
        // Exponential backtracking: 2^40 steps, far past the 1 ms allowed however fast the machine.
        var settings = new RulePipelineSettings { Limits = new SandboxLimits { RegexTimeout = TimeSpan.FromMilliseconds(1) } };
        var decision = Some.Decision(Some.Login(), settings,
            "function (user, context, callback) {\n  /^(a+)+$/.test('a'.repeat(40) + 'b');\n  callback(null, user, context);\n}");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Limit, Is.EqualTo(SandboxLimit.Regex));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Rule 'r1' ran a regular expression longer than 1 ms.")));
        });
    }

    [Test]
    public void ErrorNamedOtherwise_IsAccessDeniedNotUnauthorized()
    {
        var decision = Throwing("throw { name: 'Unauthorized', message: 'close but not it' };");

        Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "close but not it")));
    }

    [Test]
    public void StackGuardsRangeError_IsTheRecursionLimit()
    {
        // Jint's own stack guard throws exactly this; in process the sandbox's depth check usually stops a recursion
        // first, so the mapping is shown with the same error thrown directly.
        var decision = Throwing("throw new RangeError('Maximum call stack size exceeded');");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Limit));
            Assert.That(decision.Rules.Single().Limit, Is.EqualTo(SandboxLimit.Recursion));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Rule 'r1' nested calls deeper than 256 or the stack allows.")));
        });
    }

    [Test]
    public void OtherRangeError_IsTheRulesOwnError()
    {
        var decision = Throwing("throw new RangeError('Maximum call stack size');");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Maximum call stack size")));
        });
    }

    [Test]
    public void ErrorThrownOutsideTheRulesSource_IsLoggedWithoutALocation()
    {
        var settings = new RulePipelineSettings { Limits = new SandboxLimits { AllowStringCompilation = true } };
        var decision = Some.Decision(Some.Login(), settings,
            "function (user, context, callback) {\n  new Function(\"throw new Error('from elsewhere')\")();\n}");

        Assert.That(decision.Logs.Single(), Is.EqualTo(new RuleLogEntry("r1", "error", "uncaught from elsewhere")));
    }

    [Test]
    public void RejectedPromise_IsLoggedAsRejected()
    {
        var decision = Some.Decision("exports.onExecutePostLogin = async () => { await null; throw new Error('lookup failed'); };");

        Assert.That(decision.Logs.Single(), Is.EqualTo(new RuleLogEntry("r1", "error", "rejected: lookup failed")));
    }

    [Test]
    public void ErrorOfTheEngine_IsNamedInternalInTheLogAndTheDescription()
    {
        var outputs = new RuleOutputs(maxLogEntries: 100, maxLogMessageLength: 2_000);

        var run = RuleFaults.Classify(new InvalidOperationException("a bug of ours"), Some.Rule("r1", "function (u, c, cb) {}"), new SandboxLimits(), limitedByPipeline: false, outputs);

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(run.FaultDescription, Is.EqualTo("Rule 'r1' could not be evaluated because of an internal error."));
            Assert.That(outputs.Logs.Single(), Is.EqualTo(new RuleLogEntry("r1", "error",
                "internal error of the rules engine (InvalidOperationException) while running this rule")));
        });
    }

    [Test]
    public void OutOfMemoryInOneBuiltinCall_IsTheMemoryLimit()
    {
        var outputs = new RuleOutputs(maxLogEntries: 100, maxLogMessageLength: 2_000);

        var run = RuleFaults.Classify(new OutOfMemoryException(), Some.Rule("r1", "function (u, c, cb) {}"), new SandboxLimits(), limitedByPipeline: false, outputs);

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo(RuleStatus.Limit));
            Assert.That(run.Limit, Is.EqualTo(SandboxLimit.Memory));
            Assert.That(run.FaultDescription, Is.EqualTo("Rule 'r1' asked for more memory than the process could give in one call."));
        });
    }
}
