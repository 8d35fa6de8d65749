using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Testing;
using RulesMfa.Tests.Sandbox.Hostile;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// The same rules on the same login decide the same way every time, in one process and across processes (issue 20):
/// outcome, error, every rule's status and limit, claims, metadata and log lines; only durations may differ.
/// </summary>
public sealed class DeterminismTests
{
    private const int Runs = 3;

    /// <summary>Every test of the hostile suite, with each of its argument sets.</summary>
    public static IEnumerable<TestCaseData> HostileTests() =>
        typeof(HostileAttack).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(HostileAttack).Namespace && type.GetCustomAttributes<CategoryAttribute>().Any(category => category.Name == "Hostile"))
            .SelectMany(type => type.GetMethods().SelectMany(method =>
                method.GetCustomAttributes<TestCaseAttribute>().Select(testCase => testCase.Arguments)
                    .Concat(method.GetCustomAttribute<TestAttribute>() is null ? [] : [Array.Empty<object?>()])
                    .Select((arguments, index) => new TestCaseData(type, method.Name, arguments)
                        .SetName($"Hostile({type.Name}.{method.Name}{(arguments.Length > 0 ? $" #{index + 1}" : "")})"))));

    public static IEnumerable<TestCaseData> SampleCases() =>
        RuleTestFile.Find([RepositoryPaths.Samples]).SelectMany(path => RuleTestFile.Load(path).Cases.Select((testCase, index) =>
            new TestCaseData(path, index).SetName($"Sample({Path.GetFileName(path)}: {testCase.Name})")));

    [TestCaseSource(nameof(HostileTests))]
    public void HostileTest_RunAgain_LaunchesAttacksThatDecideTheSame(Type fixture, string method, object?[] arguments)
    {
        var runs = Enumerable.Range(0, Runs).Select(_ => HostileAttack.Observe(() => Invoke(fixture, method, arguments)).Select(Fingerprint).ToList()).ToList();

        Assert.That(runs, Has.All.EqualTo(runs[0]), "every run of the test must launch attacks that end the same way");
    }

    [TestCaseSource(nameof(SampleCases))]
    public void Sample_EvaluatedAgain_DecidesTheSame(string path, int index)
    {
        var file = RuleTestFile.Load(path);
        var testCase = file.Cases[index];
        var now = testCase.Now ?? file.Now;
        var pipeline = new RulePipeline(new RuleCompiler().CompileAll(RuleFiles.Load(file.RulePaths)),
            new RulePipelineSettings { Configuration = file.Configuration },
            now is null ? TimeProvider.System : new FixedTimeProvider(now.Value));

        var decisions = Enumerable.Range(0, 5).Select(_ => Fingerprint(pipeline.Evaluate(testCase.Login))).ToList();

        Assert.That(decisions, Has.All.EqualTo(decisions[0]));
    }

    [Test]
    public void BigAlternation_OnAHundredEvaluations_IsStoppedByTheRegexCapEveryTime()
    {
        // 10 s per rule, so that the regex cap decides every run: with 250 ms, a run starved by the suite's other tests on
        // a loaded 2-core machine was stopped by the clock first (a different decision, from the machine, not the
        // engine). The default time limit's bound is BuiltinDeadlineAttackTests.BigAlternation_IsRefusedBeforeItIsParsed's.
        var attack = HostileAttack.Launch(BuiltinDeadlineAttackTests.BigAlternation, limits => HostileAttack.GenerousTime(limits));

        var decisions = Enumerable.Range(0, 100).Select(_ => attack.Pipeline.Evaluate(HostileAttack.AttackerLogin())).ToList();

        Assert.That(decisions.Select(Fingerprint), Has.All.EqualTo(Fingerprint(attack.Decision)));
        HostileAttack.AssertContained(decisions[^1], Stop.Regex);
    }

    // Issue 20's Rule with a fifth of its words (still 8 times the regex limit): the full one spends 60-250 ms building its
    // string in a cold, loaded process, too near the time limit for a comparison across processes.
    [TestCase("function evil(user, context, callback) { if (user.email !== 'mallory@example.com') { return callback(null, user, context); } let s = 'w0'; for (let i = 1; i < 12000; i++) s += '|w' + i; new RegExp('^(' + s + ')$'); }")]
    [TestCase("function evil(user, context, callback) { if (user.email !== 'mallory@example.com') { return callback(null, user, context); } while (true) {} }")]
    [TestCase("function evil(user, context, callback) { if (user.email !== 'mallory@example.com') { return callback(null, user, context); } /^(a+)+$/.test('a'.repeat(40) + '!'); }")]
    [TestCase("function evil(user, context, callback) { if (user.email !== 'mallory@example.com') { return callback(null, user, context); } let s = 'x'; while (true) { s = s + s; } }")]
    public void Attack_InChildProcesses_DecidesAsInThisOne(string source)
    {
        // Each attack is stopped by a limit other than time (regex size or timeout, statements, string length), so both
        // sides get 10 s per rule: a cold, loaded child process must not be stopped by the clock first.
        var here = Fingerprint(HostileAttack.Launch(source, limits => HostileAttack.GenerousTime(limits)).Decision);

        var children = Enumerable.Range(0, 2)
            .Select(_ => Fingerprint(HostileAttack.LaunchInChildProcess(source, TimeSpan.FromSeconds(10)).Decision)).ToList();

        Assert.That(children, Has.All.EqualTo(here));
    }

    /// <summary>The decision as JSON, without the rules' durations.</summary>
    private static string Fingerprint(MfaDecision decision)
    {
        var json = MfaDecisionJson.ToJsonObject(decision);
        foreach (var rule in json["rules"]!.AsArray())
        {
            ((JsonObject)rule!).Remove("durationMs");
        }

        return json.ToJsonString();
    }

    private static void Invoke(Type fixture, string method, object?[] arguments)
    {
        try
        {
            fixture.GetMethod(method)!.Invoke(Activator.CreateInstance(fixture), arguments);
        }
        catch (TargetInvocationException invocation) when (invocation.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(invocation.InnerException).Throw();
        }
    }
}
