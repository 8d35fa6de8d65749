using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>A rule that keeps breaking its limits is suspended: not run, fail mode at once, until it is fixed or the time is up.</summary>
public sealed class RuleCircuitBreakerTests
{
    private const string Spinner = "function (user, context, callback) { while (true) {} }";
    private readonly ManualTimeProvider clock = new(Some.Now);

    private RulePipelineSettings Tenant(string domain, RuleCircuitBreaker breaker) =>
        new() { Domain = domain, CircuitBreaker = breaker, Limits = { MaxStatements = 10_000 } };

    [Test]
    public void Evaluate_AfterThreeFaults_TheRuleIsSuspendedAndNotRun()
    {
        var breaker = new RuleCircuitBreaker(clock);
        var pipeline = Some.Pipeline(Tenant("acme", breaker), Spinner);

        var faults = Enumerable.Range(0, 3).Select(_ => pipeline.Evaluate(Some.Login())).ToList();
        var suspended = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(faults.Select(decision => decision.Rules[0].Limit), Has.All.EqualTo(SandboxLimit.Statements));
            Assert.That(suspended.Rules[0].Limit, Is.EqualTo(SandboxLimit.Suspended));
            Assert.That(suspended.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(suspended.Error!.Description, Does.StartWith("Rule 'r1' is suspended"));
        });
    }

    [Test]
    public void Evaluate_SuspendedRule_RunsAgainAfterTheOpenTime()
    {
        var breaker = new RuleCircuitBreaker(clock);
        var pipeline = Some.Pipeline(Tenant("acme", breaker), Spinner);
        for (var index = 0; index < 3; index++)
        {
            pipeline.Evaluate(Some.Login());
        }

        clock.Advance(breaker.OpenFor + TimeSpan.FromSeconds(1));
        var afterwards = pipeline.Evaluate(Some.Login());

        Assert.That(afterwards.Rules[0].Limit, Is.EqualTo(SandboxLimit.Statements), "run again (and faulting again)");
    }

    [Test]
    public void Evaluate_OtherTenantOrFixedVersion_IsNotSuspended()
    {
        var breaker = new RuleCircuitBreaker(clock);
        var acme = Some.Pipeline(Tenant("acme", breaker), Spinner);
        for (var index = 0; index < 3; index++)
        {
            acme.Evaluate(Some.Login());
        }

        var globex = Some.Pipeline(Tenant("globex", breaker), Spinner).Evaluate(Some.Login());
        var fixedVersion = Some.Pipeline(Tenant("acme", breaker), "function (user, context, callback) { callback(null, user, context); }").Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(globex.Rules[0].Limit, Is.EqualTo(SandboxLimit.Statements), "another tenant's copy still runs");
            Assert.That(fixedVersion.Outcome, Is.EqualTo(DecisionOutcome.Allow), "a new version runs at once");
        });
    }

    [Test]
    public void Evaluate_FaultsSpreadBeyondTheWindow_DoNotOpenTheCircuit()
    {
        var breaker = new RuleCircuitBreaker(clock);
        var pipeline = Some.Pipeline(Tenant("acme", breaker), Spinner);

        for (var index = 0; index < 3; index++)
        {
            pipeline.Evaluate(Some.Login());
            clock.Advance(TimeSpan.FromMinutes(3));
        }

        Assert.That(breaker.IsOpen("acme", pipeline.Rules[0].VersionHash), Is.False);
    }
}
