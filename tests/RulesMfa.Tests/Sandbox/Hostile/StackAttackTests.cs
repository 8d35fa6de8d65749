namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>
/// Rules that try to overflow the thread's stack. A regression here kills the whole process, so each attack runs
/// in a child process through the real CLI; the normal logins after it run in this process.
/// </summary>
[Category("Hostile")]
public sealed class StackAttackTests
{
    // 100,000 nested objects, a hundred levels per statement, so that building them takes a small part of the
    // time limit even in a cold child process and the attack itself (the serialization) is what runs into it.
    private static readonly string HundredThousandDeep =
        $"let o = {{}}; for (let i = 0; i < 1000; i++) {{ o = {string.Concat(Enumerable.Repeat("{ o: ", 100))}o{string.Concat(Enumerable.Repeat(" }", 100))}; }}";

    /// <summary>The rule time limit of attacks that the stack guard must stop, so a cold, loaded child never stops them by time first.</summary>
    private static readonly TimeSpan NotAboutTime = TimeSpan.FromSeconds(10);

    [Test]
    public void DeepRecursion_IsStoppedByTheRecursionLimit()
    {
        var attack = HostileAttack.LaunchInChildProcess(HostileAttack.EvilRule("function down(n) { return down(n + 1) + 1; } down(0);"), NotAboutTime);

        attack.AssertContained(Stop.Recursion);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void RecursionThroughGetters_IsStoppedByTheRecursionLimit()
    {
        var attack = HostileAttack.LaunchInChildProcess(HostileAttack.EvilRule("const o = { get x() { return this.x; } }; o.x;"), NotAboutTime);

        attack.AssertContained(Stop.Recursion);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ToStringChain_IsStoppedByTheRecursionLimit()
    {
        var attack = HostileAttack.LaunchInChildProcess(HostileAttack.EvilRule("const o = { toString() { return String(this); } }; String(o);"), NotAboutTime);

        attack.AssertContained(Stop.Recursion);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ValueOfChain_IsStoppedAndDenied()
    {
        // Conversions called from the engine's own code are not counted as calls: the stack guard stops this one with
        // a RangeError ("Maximum call stack size exceeded"), which the sandbox reports as the recursion limit, not as
        // the rule's own error. The frames are many and large, so the cold child process gets a time limit that a
        // loaded machine cannot reach first; without the stack guard the child dies.
        var attack = HostileAttack.LaunchInChildProcess(HostileAttack.EvilRule("const o = { valueOf() { return this + 1; } }; o + 1;"), NotAboutTime);

        attack.AssertContained(Stop.Recursion);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void JsonStringifyOfAHundredThousandDeepObject_IsStoppedAndDenied()
    {
        var attack = HostileAttack.LaunchInChildProcess(HostileAttack.EvilRule($"{HundredThousandDeep} JSON.stringify(o);"), NotAboutTime);

        attack.AssertContained(Stop.Recursion);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void CatchingTheStackOverflowAndRetrying_IsStoppedAndDenied()
    {
        var attack = HostileAttack.LaunchInChildProcess(HostileAttack.EvilRule(
            $"{HundredThousandDeep} while (true) {{ try {{ JSON.stringify(o); }} catch (e) {{ /* again */ }} }}"));

        attack.AssertContained(Stop.Spin.Append(Stop.Recursion).ToArray());
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void CatchingDeepRecursionAndRetrying_IsStoppedByTheRecursionLimit()
    {
        // Jint's own stack guard throws a RangeError the rule can catch; the sandbox's stack check cannot be caught,
        // and once tripped it stays tripped until the rule ends.
        var attack = HostileAttack.LaunchInChildProcess(HostileAttack.EvilRule(
            "const o = { get x() { return this.x; } }; while (true) { try { o.x; } catch (e) { /* again */ } }"), NotAboutTime);

        attack.AssertContained(Stop.Recursion);
        attack.AssertOthersUnharmed();
    }
}
