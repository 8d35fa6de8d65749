using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// <see cref="CollectionCaps"/> beyond what <see cref="CollectionCapsTests"/> answers: the replaced builtins look as
/// ECMA-262 defines them (no stray property, each its own name, length and attributes), a set-like iterator
/// closed early without a <c>return</c> method is left alone, and a call that hashes a long string per element is
/// stopped by the deadline inside the call. Written for mutation testing (TESTING.md).
/// </summary>
public sealed class MutationCollectionCapsTests
{
    // Jint's Map also has the proposal "upsert" (stage 3 in 2025): getOrInsert and getOrInsertComputed.
    [TestCase("Set", """["add","clear","constructor","delete","difference","entries","forEach","has","intersection","isDisjointFrom","isSubsetOf","isSupersetOf","keys","size","symmetricDifference","union","values"]""")]
    [TestCase("Map", """["clear","constructor","delete","entries","forEach","get","getOrInsert","getOrInsertComputed","has","keys","set","size","values"]""")]
    public void Prototype_HasTheSpecificationsPropertiesOnly(string collection, string names) =>
        Assert.That(RuleExpression.ValueOf($"Object.getOwnPropertyNames({collection}.prototype).sort()"), Is.EqualTo(names));

    [TestCase("Set", "add", 1)]
    [TestCase("Map", "set", 2)]
    [TestCase("Set", "union", 1)]
    [TestCase("Set", "intersection", 1)]
    [TestCase("Set", "difference", 1)]
    [TestCase("Set", "symmetricDifference", 1)]
    [TestCase("Set", "isSubsetOf", 1)]
    [TestCase("Set", "isSupersetOf", 1)]
    [TestCase("Set", "isDisjointFrom", 1)]
    public void ReplacedBuiltin_KeepsItsNameLengthAndAttributes(string collection, string method, int length) =>
        Assert.That(
            RuleExpression.ValueOf($"(() => {{ const d = Object.getOwnPropertyDescriptor({collection}.prototype, '{method}'); return [d.value.name, d.value.length, d.writable, d.enumerable, d.configurable]; }})()"),
            Is.EqualTo($"""["{method}",{length},true,false,true]"""));

    [Test]
    public void KeysIteratorWithoutReturn_ClosedEarly_IsLeftAlone() =>
        Assert.That(
            RuleExpression.ValueOf("new Set([1, 2]).isDisjointFrom({ size: 1, has: () => true, keys: () => ({ next: () => ({ value: 1, done: false }) }) })"),
            Is.EqualTo("false"));

    // Each hashes one 1 MB string 6,000 times in one call (the hostile suite's attack, smaller): seconds in Jint's own
    // native loop, against a 500 ms limit. The same statement then logs, which it must never reach: the limit stops
    // the rule inside the call (without the caps only the next check, after the call, would stop it, as late as that).
    [TestCase("new Set(a)")]
    [TestCase("new Map(a.map(v => [v, 1]))")]
    [TestCase("new Set([s]).isSupersetOf({ size: 1, has: () => true, keys: () => a.values() })")]
    [TestCase("new Set().union({ size: 1, has: () => false, keys: () => a.values() })")]
    public void SetOrMapHashingALongStringManyTimes_IsStoppedInsideTheCall(string call)
    {
        var decision = RuleExpression.Run(
            $"(() => {{ const s = 'a'.repeat(1 << 20); const a = new Array(6000).fill(s); return [{call}, console.log('returned')]; }})()",
            limits =>
            {
                limits.RuleTimeout = TimeSpan.FromMilliseconds(500);
                limits.MaxStringLength = 1 << 20;
                limits.MaxArraySize = 1 << 16;
            });

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Rule 'r1' ran longer than its time limit of 500 ms.")));
            Assert.That(decision.Logs.Select(log => log.Message), Has.None.Contains("returned"));
        });
    }
}
