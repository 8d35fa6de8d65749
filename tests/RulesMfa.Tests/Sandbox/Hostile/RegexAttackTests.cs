namespace RulesMfa.Tests.Sandbox.Hostile;

/// <summary>Rules that try to hold the thread inside the regular-expression engine.</summary>
[Category("Hostile")]
public sealed class RegexAttackTests
{
    [Test]
    public void CatastrophicBacktracking_IsStoppedByTheRegexTimeout()
    {
        var attack = HostileAttack.Rule("/^(a+)+$/.test('a'.repeat(40) + '!');");

        attack.AssertContained(Stop.Regex);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void BackReferenceOnAPrimeLength_IsStoppedByTheRegexTimeout()
    {
        // Tries every divisor of 30,011 (a prime) and, for each, matches the back-reference along the whole string.
        var attack = HostileAttack.Rule("/^(a+)\\1+$/.test('a'.repeat(30011));");

        attack.AssertContained(Stop.Regex);
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void ManyMatchesEachUnderTheRegexTimeout_AreStoppedByTheRuleLimits()
    {
        var attack = HostileAttack.Rule("while (true) { /^(a+)+$/.test('a'.repeat(14) + '!'); }");

        attack.AssertContained(Stop.Spin.Append(Stop.Regex).ToArray());
        attack.AssertOthersUnharmed();
    }

    [Test]
    public void SlowMatchesInStraightLineCode_AreStoppedByTheRuleDeadline()
    {
        // Two hundred statements, each match a few milliseconds (far under the regex timeout, even cold) on a 2-core
        // machine, together well past the rule's time limit: the deadline must be checked before every statement, not
        // every 64 (Jint's own cadence, which let them all run and allow). The regex timeout stays accepted for a
        // machine so loaded that one match waits 100 ms for a core.
        var lines = string.Concat(Enumerable.Repeat("/^(a+)+$/.test('a'.repeat(18) + '!');\n", 200));
        var attack = HostileAttack.Rule(lines);

        attack.AssertContained(Stop.Timeout, Stop.Regex);
        attack.AssertOthersUnharmed();
    }
}
