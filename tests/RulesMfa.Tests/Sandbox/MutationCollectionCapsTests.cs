using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// <see cref="CollectionCaps"/> beyond what <see cref="CollectionCapsTests"/> answers: the replaced builtins look as
/// ECMA-262 defines them (no stray property, each its own name, length and attributes), and a set-like iterator
/// closed early without a <c>return</c> method is left alone. Written for mutation testing (TESTING.md).
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
}
