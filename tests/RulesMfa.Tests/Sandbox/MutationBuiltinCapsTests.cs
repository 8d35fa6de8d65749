using System.Globalization;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// The string caps of <see cref="BuiltinCaps"/> at their boundary, with the smallest string and array limits (1,024;
/// <see cref="RuleExpression"/>): a result of exactly the limit is built, one more character is refused before it is
/// built, with the estimate in the message. Written for mutation testing (TESTING.md): the older tests tried only
/// results far over the limit and accepted any limit.
/// </summary>
public sealed class MutationBuiltinCapsTests
{
    private static void AssertBuilt(string expression, int length) =>
        Assert.That(RuleExpression.ValueOf($"({expression}).length"), Is.EqualTo(length.ToString(CultureInfo.InvariantCulture)));

    private static void AssertRefused(string expression, string what, SandboxLimit limit = SandboxLimit.StringLength) =>
        RuleExpression.AssertRefused(expression, limit, what);

    [TestCase("'ab'.repeat(512)", 1_024)]
    [TestCase("'7'.padStart(1024, '0')", 1_024)]
    [TestCase("'x'.padEnd(1024, '-')", 1_024)]
    [TestCase("'a-'.repeat(256).replaceAll('-', '---')", 1_024)]
    [TestCase("'a'.repeat(1000).concat('b'.repeat(24))", 1_024)]
    [TestCase("'a'.repeat(992).concat(5)", 993)]
    [TestCase("['a'.repeat(1000), 'b'.repeat(23)].join()", 1_024)]
    [TestCase("['a'.repeat(992), null, undefined, 7].join('')", 993)]
    [TestCase("['a'.repeat(1000), 'b'.repeat(23)].toLocaleString()", 1_024)]
    [TestCase("String.raw({ raw: ['a'.repeat(1000), 'b'.repeat(20)] }, 'cccc')", 1_024)]
    [TestCase("String.raw({ raw: ['a'.repeat(991), 'b'] }, 5)", 993)]
    [TestCase("String.raw({ raw: ['a'.repeat(1000)] }, 'b'.repeat(100))", 1_000)]
    [TestCase("String.raw({ raw: ['a'.repeat(1000), 'b', 'c'] }, 'x')", 1_003)]
    [TestCase("Array.prototype.join.call({ length: 2, 0: 'a'.repeat(1000), 1: 'b'.repeat(23), 2: 'x' })", 1_024)]
    public void StringBuiltin_UpToTheLimit_IsBuilt(string expression, int length) => AssertBuilt(expression, length);

    [TestCase("'ab'.repeat(513)", "repeat would build a string of 1,026 characters")]
    [TestCase("'7'.padStart(1025, '0')", "padStart would build a string of 1,025 characters")]
    [TestCase("'x'.padEnd(1025, '-')", "padEnd would build a string of 1,025 characters")]
    [TestCase("('a-'.repeat(256) + '-').replaceAll('-', '---')", "replaceAll would build a string of 1,027 characters")]
    [TestCase("'abc'.replaceAll('', 'x'.repeat(300))", "replaceAll would build a string of 1,203 characters")]
    [TestCase("'a'.repeat(1000).concat('b'.repeat(25))", "concat would build a string of 1,025 characters")]
    [TestCase("'a'.repeat(993).concat(5)", "concat would build a string of 1,025 characters")]
    [TestCase("['a'.repeat(1000), 'b'.repeat(23)].join('--')", "join would build a string of 1,025 characters")]
    [TestCase("['a'.repeat(993), null, undefined, 7].join('')", "join would build a string of 1,025 characters")]
    [TestCase("['a'.repeat(1000), 'b'.repeat(24)].toLocaleString()", "toLocaleString would build a string of 1,025 characters")]
    [TestCase("String.raw({ raw: ['a'.repeat(1000), 'b'.repeat(21)] }, 'cccc')", "raw would build a string of 1,025 characters")]
    [TestCase("String.raw({ raw: ['a'.repeat(993), 'b'] }, 5)", "raw would build a string of 1,025 characters")]
    [TestCase("String.raw({ raw: { length: 2000 } })", "raw would build a string of 2,000 characters")]
    [TestCase("String.raw({ raw: { length: 1024 } })", "raw would build a string of 1,056 characters")]
    [TestCase("String.raw({ raw: ['a'.repeat(1024), 'b'] })", "raw would build a string of 1,025 characters")]
    [TestCase("'a'.repeat(1000).concat('b'.repeat(12), 'c'.repeat(13))", "concat would build a string of 1,025 characters")]
    [TestCase("JSON.stringify('x'.repeat(1023))", "JSON.stringify would write more than 1,024 characters")]
    public void StringBuiltin_OneOverTheLimit_IsRefusedNamingTheEstimate(string expression, string message) => AssertRefused(expression, message);

    // As in Node.js (ECMA-262 17): writable, not enumerable, configurable, and the builtin's own name and length.
    [TestCase("String.prototype", "repeat", 1)]
    [TestCase("String.prototype", "padStart", 1)]
    [TestCase("String.prototype", "padEnd", 1)]
    [TestCase("String.prototype", "replaceAll", 2)]
    [TestCase("String.prototype", "concat", 1)]
    [TestCase("Array.prototype", "join", 1)]
    [TestCase("Array.prototype", "toLocaleString", 0)]
    [TestCase("String", "raw", 1)]
    [TestCase("JSON", "stringify", 3)]
    public void CappedBuiltin_LooksLikeTheOneItReplaces(string owner, string name, int length) =>
        Assert.That(
            RuleExpression.ValueOf($"(() => {{ const d = Object.getOwnPropertyDescriptor({owner}, '{name}'); return [d.value.name, d.value.length, d.writable, d.enumerable, d.configurable]; }})()"),
            Is.EqualTo($"""["{name}",{length},true,false,true]"""));

    [Test]
    public void JoinOfAnArrayLikeLongerThanTheArrayLimit_IsRefusedBeforeItsElementsAreRead() =>
        AssertRefused("Array.prototype.join.call({ length: 1025 }, '')", "join would read 1,025 elements, over the array limit of 1,024", SandboxLimit.ArraySize);

    [Test]
    public void JoinOfAnArrayLikeAtTheArrayLimit_IsBuilt() => AssertBuilt("Array.prototype.join.call({ length: 1024 }, '')", 0);

    [Test]
    public void JoinOnAString_JoinsItsCharacters() => AssertBuilt("Array.prototype.join.call('abc', '-')", 5);

    [Test]
    public void ReplaceAllWithAFunctionOrARegExp_IsMeasuredByItsInput() =>
        AssertBuilt("'a'.repeat(1000).replaceAll('a', () => 'a') + 'b'.repeat(24).replaceAll(/b/g, 'b')", 1_024);
}
