using RulesMfa.Engine.Decisions;

namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>Rules that try to keep the thread busy: loops, async loops, task floods, and builtins that loop for them.</summary>
[Category("Hostile")]
public sealed class CpuAttackTests
{
    [Test]
    public void WhileTrue_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("while (true) {}");

        attack.AssertContained(Stop.Spin);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void LoopThatCatchesAndSwallowsTheLimit_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("while (true) { try { while (true) {} } catch (e) { /* swallow it and go on */ } finally { } }");

        attack.AssertContained(Stop.Spin);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void LoopInFinallyAfterCallingBack_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("try { return callback(null, user, context); } finally { while (true) {} }");

        attack.AssertContained(Stop.Spin);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void AsyncRuleAwaitingInALoopForever_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("(async () => { while (true) { await null; } })();");

        attack.AssertContained(Stop.PromiseReactions);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void AsyncActionAwaitingInALoopForever_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Action("while (true) { await Promise.resolve(); }");

        attack.AssertContained(Stop.PromiseReactions);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void MicrotaskFlood_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("function f() { Promise.resolve().then(f); } f();");

        attack.AssertContained(Stop.PromiseReactions);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ActionPromiseThatNeverSettles_IsATimeout()
    {
        var attack = HostileAttack.Launch($"exports.onExecutePostLogin = (event, api) => {{ {HostileAttack.ActionGuard} return new Promise(() => {{}}); }};");

        attack.AssertContained(Stop.Timeout);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void CallbackNeverCalled_IsATimeout()
    {
        var attack = HostileAttack.Launch($"function evil(user, context, callback) {{ {HostileAttack.RuleGuard} /* and never call back */ }}");

        attack.AssertContained(Stop.Timeout);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void CallbackCalledAMillionTimes_IsStoppedAndKeepsTheLogBounded()
    {
        var attack = HostileAttack.Launch(
            $"function evil(user, context, callback) {{ {HostileAttack.RuleGuard} for (let i = 0; i < 1e6; i++) callback(null, user, context); }}");

        attack.AssertContained(Stop.SpinOrAllocate);
        var logs = attack.Decision.Logs;
        Assert.Multiple(() =>
        {
            // At most MaxLogEntries lines and the "log limit reached" notice; then the engine's verdict, which is always kept.
            Assert.That(logs.SkipLast(1).Count(), Is.LessThanOrEqualTo(attack.Limits.MaxLogEntries + 1));
            Assert.That(logs[^1].Level, Is.EqualTo("error"));
            Assert.That(logs[^1].Message, Does.Contain($"'{HostileAttack.Id}'"));
        });
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void FillingATenMillionElementArray_IsStoppedByTheArraySizeLimit()
    {
        var attack = HostileAttack.Rule("new Array(1e7).fill(1);");

        attack.AssertContained(Stop.ArraySize);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void SortingAHugeArrayLike_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("Array.prototype.sort.call({ length: 1e9 }, (a, b) => a - b);");

        attack.AssertContained(Stop.Timeout, Stop.Memory);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void RepeatingAStringAHundredMillionTimes_IsStoppedAndDenied()
    {
        var attack = HostileAttack.Rule("const s = 'a'.repeat(1e8);");

        attack.AssertContained(Stop.StringLength.Saying("repeat would build a string of 100,000,000 characters"));
        attack.AssertOthersUnharmed();
    }
}
