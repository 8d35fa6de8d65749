using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox.Modules;

/// <summary>
/// <c>setTimeout</c> and friends at their edges (issue 19, mutation testing of engine/Sandbox/NodeCompat): the
/// callback check, the cap on waiting timers, Node's clamping of the delay, the rule's time limit to the millisecond,
/// the clock of timers set by timers, promise jobs between timers, and timers that outlive their rule.
/// </summary>
public sealed class MutationTimerTests
{
    private static readonly RulePipelineSettings FiveSeconds = new() { Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(20) } };

    /// <summary>Runs <paramref name="body"/>; <c>done()</c> puts <c>order</c> in the claim and calls back.</summary>
    private static MfaDecision Run(string body, RulePipelineSettings? settings = null) => Some.Decision(Some.Login(), settings ?? new RulePipelineSettings(),
        $$"""
        function (user, context, callback) {
          const order = [];
          const done = () => { context.idToken['https://x/order'] = order; callback(null, user, context); };
          {{body}}
        }
        """);

    private static string Order(MfaDecision decision)
    {
        Assert.That(decision.Error, Is.Null, () => $"{decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        return decision.IdTokenClaims["https://x/order"]!.ToJsonString();
    }

    [TestCase("setTimeout('order.push(1)', 1)")]
    [TestCase("setTimeout()")]
    [TestCase("setImmediate({})")]
    public void Timer_WhoseCallbackIsNoFunction_IsATypeError(string call)
    {
        var decision = Run($"try {{ {call}; order.push('set'); }} catch (e) {{ order.push(e.name, e.message); }} done();");

        Assert.That(Order(decision), Is.EqualTo("""["TypeError","The \u0022callback\u0022 argument must be of type function"]"""));
    }

    [Test]
    public void Timers_UpToTheCap_AreSet_AndTheNextIsRefused()
    {
        var decision = Run(
            """
            let fired = 0;
            setTimeout(() => { order.push(fired); done(); }, 2);
            for (let i = 1; i < 1000; i++) { setTimeout(() => { fired++; }, 1); }
            try { setTimeout(() => { fired += 1000; }, 1); } catch (e) { order.push(e.name, e.message); }
            """);

        Assert.That(Order(decision), Is.EqualTo("""["Error","a rule may have at most 1000 timers waiting",999]"""));
    }

    /// <summary>As in Node, a delay under 1 ms, not a number or negative is 1 ms: such timers fire with the 1 ms ones in the order they were set.</summary>
    [Test]
    public void Timer_DelayUnderOneMillisecond_IsOneMillisecond()
    {
        var decision = Run(
            """
            setTimeout(() => order.push('two'), 2);
            setTimeout(() => order.push('one'), 1);
            setTimeout(() => order.push('half'), 0.5);
            setTimeout(() => order.push('nan'), 'soon');
            setTimeout(() => order.push('negative'), -5);
            setTimeout(() => order.push('none'));
            setTimeout(() => order.push('text'), '1.5');
            setTimeout(done, 3);
            """);

        Assert.That(Order(decision), Is.EqualTo("""["one","half","nan","negative","none","text","two"]"""));
    }

    /// <summary>As in Node, a delay over 2^31 - 1 ms is 1 ms; one of exactly 2^31 - 1 ms waits past the rule's limit.</summary>
    [Test]
    public void Timer_DelayOverTheLargestTimeout_IsOneMillisecond()
    {
        var decision = Run(
            """
            setTimeout(() => order.push('two'), 2);
            setTimeout(() => order.push('largest'), 2 ** 31 - 1);
            setTimeout(() => order.push('over'), 2 ** 31);
            setTimeout(() => order.push('infinite'), Infinity);
            setTimeout(done, 3);
            """);

        Assert.That(Order(decision), Is.EqualTo("""["over","infinite","two"]"""));
    }

    [Test]
    public void SetImmediate_TakesNoDelay_ItsSecondArgumentIsTheCallbacksFirst()
    {
        var decision = Run(
            """
            setImmediate((a, b) => order.push(a, b), 50, 'x');
            setTimeout(() => order.push('ten'), 10);
            setTimeout(done, 60);
            """);

        Assert.That(Order(decision), Is.EqualTo("""[50,"x","ten"]"""));
    }

    [TestCase(4999, DecisionOutcome.Allow, RuleStatus.Ok)]
    [TestCase(5000, DecisionOutcome.Deny, RuleStatus.Timeout)]
    public void Timer_DueAtTheRulesTimeLimit_NeverFires(int delay, DecisionOutcome outcome, RuleStatus status)
    {
        var decision = Run($"setTimeout(() => callback(null, user, context), {delay});", FiveSeconds);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(outcome));
            Assert.That(decision.Rules[0].Status, Is.EqualTo(status));
        });
    }

    [Test]
    public void TimerSetByATimer_CountsItsDelayFromWhenItWasSet()
    {
        var decision = Run(
            """
            setTimeout(() => { order.push('outer'); setTimeout(() => order.push('inner'), 10); }, 20);
            setTimeout(() => order.push('between'), 25);
            setTimeout(done, 40);
            """);

        Assert.That(Order(decision), Is.EqualTo("""["outer","between","inner"]"""));
    }

    [TestCase(2499, DecisionOutcome.Allow)]
    [TestCase(2500, DecisionOutcome.Deny)]
    public void TimerChain_PastTheRulesTimeLimitInAll_NeverFires(int second, DecisionOutcome outcome)
    {
        var decision = Run($"setTimeout(() => setTimeout(() => callback(null, user, context), {second}), 2500);", FiveSeconds);

        Assert.That(decision.Outcome, Is.EqualTo(outcome));
    }

    [Test]
    public void PromiseJobsOfATimer_RunBeforeTheNextTimer()
    {
        var decision = Run(
            """
            setTimeout(() => { Promise.resolve().then(() => order.push('job of the first')); order.push('first'); }, 1);
            setTimeout(() => order.push('second'), 1);
            setTimeout(done, 2);
            """);

        Assert.That(Order(decision), Is.EqualTo("""["first","job of the first","second"]"""));
    }

    [Test]
    public void ClearTimeout_OfNoTimerOrNoNumber_DoesNothing_AndClearsOnlyItsOwnTimer()
    {
        var decision = Run(
            """
            clearTimeout(1); clearTimeout(); clearTimeout('x'); clearImmediate(null);
            const a = setTimeout(() => order.push('a'), 1);
            const b = setImmediate(() => order.push('b'));
            const c = setTimeout(() => order.push('c'), 1);
            clearImmediate(b); clearTimeout(String(a)); clearTimeout(c + 100);
            order.push(typeof a, b > a, c > b);
            setTimeout(done, 2);
            """);

        Assert.That(Order(decision), Is.EqualTo("""["number",true,true,"a","c"]"""));
    }

    /// <summary>Each rule's timers start from its own time zero: the first rule's 4 s of timers do not count against the second's 3 s within a limit of 5 s.</summary>
    [Test]
    public void TimerClock_StartsAgainForEveryRule()
    {
        var decision = Some.Decision(Some.Login(), FiveSeconds,
            """
            function (user, context, callback) {
              setTimeout(() => setTimeout(() => callback(null, user, context), 1000), 3000);
            }
            """,
            """
            function (user, context, callback) {
              setTimeout(() => { context.idToken['https://x/second'] = true; callback(null, user, context); }, 3000);
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.EqualTo(new[] { RuleStatus.Ok, RuleStatus.Ok }));
            Assert.That(decision.IdTokenClaims["https://x/second"]!.GetValue<bool>(), Is.True);
        });
    }
}
