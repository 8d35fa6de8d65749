using System.Text.Json.Nodes;
using Jint;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>PlainJson</c>), beside <see cref="PlainJsonTests"/>: the direct way's bounds
/// exactly. Its 256 characters count keys and values together, each character either side escapes differently is
/// left to the full conversion, and so is a key that is empty or starts with a digit; what the direct way gives is
/// what <c>JSON.stringify</c> then parsing gives.
/// </summary>
public sealed class MutationPlainJsonTests
{
    [TestCase("'x'.repeat(256)")]
    [TestCase("({ [('k').repeat(128)]: 'v'.repeat(128) })")]
    [TestCase("({ a: 'x'.repeat(127), b: 'y'.repeat(127) })")]
    [TestCase("' !#$%()*,-./09:;=?@AZ[]^_az{|}~'")]
    public void ValueOfUpTo256PlainCharacters_TakesTheDirectWay(string expression)
    {
        var (converted, node, expected) = Convert(expression);

        Assert.Multiple(() =>
        {
            Assert.That(converted, Is.True);
            Assert.That(node?.ToJsonString(), Is.EqualTo(expected));
        });
    }

    [TestCase("'x'.repeat(257)")]
    [TestCase("({ [('k').repeat(128)]: 'v'.repeat(129) })")]
    [TestCase("({ a: 'x'.repeat(127), b: 'y'.repeat(128) })")]
    [TestCase("({ '': 'empty key' })")]
    [TestCase("({ '9lives': 'digit first' })")]
    [TestCase("'\\u001f'")]
    [TestCase("'\\u007f'")]
    [TestCase("'\"'")]
    [TestCase("'\\\\'")]
    [TestCase("'<'")]
    [TestCase("'>'")]
    [TestCase("'&'")]
    [TestCase("\"'\"")]
    [TestCase("'+'")]
    [TestCase("'`'")]
    [TestCase("({ 'a>b': 'key escaped' })")]
    [TestCase("({ ok: 'x', bad: 1 })")]
    [TestCase("({ ok: 'x', nested: {} })")]
    public void AnythingOverTheBoundOrEscapedDifferently_IsLeftToTheFullConversion(string expression)
    {
        Assert.That(Convert(expression).Converted, Is.False);
    }

    private static (bool Converted, JsonNode? Node, string? Expected) Convert(string expression)
    {
        var engine = new SandboxEngineFactory(new SandboxLimits(), TimeProvider.System).Create().Engine;
        var converted = PlainJson.TryConvert(engine, engine.Evaluate($"({expression})"), out var node);
        var expected = JsonNode.Parse(engine.Evaluate($"JSON.stringify({expression})").AsString())?.ToJsonString();
        return (converted, node, expected);
    }
}
