using System.Text.Json.Nodes;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// <see cref="BoundedJson"/>: <c>JSON.stringify</c> with the sandbox's counting replacer still writes what ECMA-262
/// 25.5.2 says for an array replacer (listed keys, in order, once; not applied to arrays), a function replacer (called
/// with the holder as <c>this</c>), every form of <c>space</c> and wrapper objects; and its count refuses at one
/// character over the string limit (1,024 here) and builds at the limit, with and without indentation. Written for
/// mutation testing (TESTING.md).
/// </summary>
public sealed class MutationBoundedJsonTests
{
    private const string Over = "JSON.stringify would write more than 1,024 characters";

    [TestCase("JSON.stringify({ a: 1, b: 2, c: 3 }, ['c', 'a'])", """{"c":3,"a":1}""")]
    [TestCase("JSON.stringify({ 1: 'x', a: 'y', b: 'z' }, [1, 'a', 'a'])", """{"1":"x","a":"y"}""")]
    [TestCase("JSON.stringify({ a: 1, 2: 'two', b: 3 }, [new Number(2), new String('a'), {}, true])", """{"2":"two","a":1}""")]
    [TestCase("JSON.stringify([{ a: 1, b: 2 }, 5], ['a'])", """[{"a":1},5]""")]
    [TestCase("JSON.stringify({ a: { a: 1, b: 2 }, b: 1 }, ['a'])", """{"a":{"a":1}}""")]
    [TestCase("JSON.stringify({ a: undefined, b: 1 }, ['a', 'b'])", """{"b":1}""")]
    [TestCase("JSON.stringify({ a: new String('s'), b: new Number(4) }, ['a', 'b'])", """{"a":"s","b":4}""")]
    [TestCase("JSON.stringify({ a: 1 }, { length: 1, 0: 'a' })", """{"a":1}""")]
    [TestCase("JSON.stringify({ a: 1, b: 2 }, Object.setPrototypeOf(['a'], Object.assign(Object.create(Array.prototype), { 1: 'b' })))", """{"a":1}""")]
    public void ArrayReplacer_WritesTheListedKeysInOrder(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf($"JSON.parse({expression})"), Is.EqualTo(json));

    // The document itself is compared: parsing it again would list the integer keys first.
    [TestCase("JSON.stringify({ a: 1, 2: 'two' }, ['a', 2])", """{"a":1,"2":"two"}""")]
    [TestCase("JSON.stringify({ b: { 1: 'x', b: 'y' }, 0: 'z' }, ['b', 1, 0])", """{"b":{"b":"y","1":"x"},"0":"z"}""")]
    [TestCase("JSON.stringify({ a: 1, 2: 'two' }, ['a', 2], 1)", "{\n \"a\": 1,\n \"2\": \"two\"\n}")]
    public void ArrayReplacer_ListingAStringKeyBeforeAnIntegerKey_KeepsTheListsOrder(string expression, string json) =>
        Assert.That(JsonNode.Parse(RuleExpression.ValueOf(expression))!.GetValue<string>(), Is.EqualTo(json));

    [TestCase("JSON.stringify({ a: 1, b: 'x' }, (k, v) => typeof v === 'number' ? v * 2 : v)", """{"a":2,"b":"x"}""")]
    [TestCase("JSON.stringify({ a: 1, b: 2 }, function (k, v) { return k === 'b' ? this.a : v; })", """{"a":1,"b":1}""")]
    [TestCase("JSON.stringify({ a: 1 }, (k, v) => k === '' ? [7] : v)", "[7]")]
    [TestCase("JSON.stringify({ a: 1, b: 2 }, (k, v) => k === 'a' ? undefined : v)", """{"b":2}""")]
    public void FunctionReplacer_IsCalledWithTheHolder(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf($"JSON.parse({expression})"), Is.EqualTo(json));

    [TestCase("JSON.stringify({ a: [1] }, null, 2)", """["{","  \"a\": [","    1","  ]","}"]""")]
    [TestCase("JSON.stringify([1], null, 20)", """["[","          1","]"]""")]
    [TestCase("JSON.stringify([1], null, new Number(1))", """["["," 1","]"]""")]
    [TestCase("JSON.stringify([1], null, 'abcdefghijklm')", """["[","abcdefghij1","]"]""")]
    [TestCase("JSON.stringify([1], null, new String('--'))", """["[","--1","]"]""")]
    [TestCase("JSON.stringify([1], null, true)", """["[1]"]""")]
    [TestCase("JSON.stringify([1], null, -3)", """["[1]"]""")]
    public void Space_IndentsAsTheSpecificationSays(string expression, string lines) =>
        Assert.That(RuleExpression.ValueOf($"{expression}.split('\\n')"), Is.EqualTo(lines));

    [TestCase("JSON.stringify(new String('ab'))", "\"ab\"")]
    [TestCase("JSON.stringify([new Number(3), new Boolean(false), null, 'x'])", """[3,false,null,"x"]""")]
    [TestCase("JSON.stringify({ f() {}, a: 1 })", """{"a":1}""")]
    [TestCase("JSON.stringify([function () {}])", "[null]")]
    [TestCase("JSON.stringify({ toJSON() { return { b: 2 }; } })", """{"b":2}""")]
    public void Values_AreWrittenAsTheSpecificationSays(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf($"JSON.parse({expression})"), Is.EqualTo(json));

    // The count is an over-estimate: a string value as its length plus quotes, its key plus 4 (quotes, colon, comma),
    // an array element plus 1, and with indentation a newline and the gap once per level.
    [TestCase("JSON.stringify('x'.repeat(1018)).length", "1020")]
    [TestCase("JSON.stringify({ abc: 'x'.repeat(1009) }).length", "1019")]
    [TestCase("JSON.stringify(['x'.repeat(1015)]).length", "1019")]
    [TestCase("JSON.stringify(['x'.repeat(1003)], null, 10).length", "1019")]
    [TestCase("JSON.stringify([['x'.repeat(979)]], null, 10).length", "1029")]
    [TestCase("JSON.stringify(['x'.repeat(1011)], null, '--').length", "1019")]
    [TestCase("JSON.stringify([1, 22, 333]).length", "10")]
    [TestCase("JSON.stringify([new String('x'.repeat(1015))]).length", "1019")]
    [TestCase("JSON.stringify(Array(169).fill(true)).length", "846")]
    public void Document_UpToTheBudget_IsWritten(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("JSON.stringify('x'.repeat(1019))")]
    [TestCase("JSON.stringify({ abc: 'x'.repeat(1010) })")]
    [TestCase("JSON.stringify(['x'.repeat(1016)])")]
    [TestCase("JSON.stringify(['x'.repeat(1004)], null, 10)")]
    [TestCase("JSON.stringify([['x'.repeat(980)]], null, 10)")]
    [TestCase("JSON.stringify(['x'.repeat(1012)], null, '--')")]
    [TestCase("JSON.stringify([new String('x'.repeat(1016))])")]
    [TestCase("JSON.stringify({ a: 'x'.repeat(1000) }, (k, v) => k === 'a' ? v + 'y'.repeat(20) : v)")]
    [TestCase("JSON.stringify(Array(170).fill(true))")]
    public void Document_OneOverTheBudget_IsRefused(string expression) =>
        // Only the length comes back, so the refusal is this call's, not the rule's writing of a long result.
        RuleExpression.AssertRefused($"{expression}.length", SandboxLimit.StringLength, Over);
}
