using System.Text.Json.Nodes;
using Jint;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 17: the outputs read after every rule skip writing and parsing JSON text when they are plain (short strings,
/// booleans, null, a plain object of those). What they give must be what <c>JSON.stringify</c> then parsing gives, and
/// anything whose text could differ must be left to that path.
/// </summary>
public sealed class PlainJsonTests
{
    [TestCase("({ provider: 'any', allowRememberBrowser: false })")]
    [TestCase("({ provider: 'guardian', skipped: undefined, note: null })")]
    [TestCase("Object.defineProperty({ shown: 'yes' }, 'hidden', { value: 'no', enumerable: false })")]
    [TestCase("'https://example.com/path?x=1'")]
    [TestCase("true")]
    [TestCase("null")]
    [TestCase("({})")]
    public void PlainValue_IsConvertedAsJsonStringifyThenParseWould(string expression)
    {
        var engine = new SandboxEngineFactory(new SandboxLimits(), TimeProvider.System).Create().Engine;
        var value = engine.Evaluate(expression);

        var converted = PlainJson.TryConvert(engine, value, out var node);

        Assert.Multiple(() =>
        {
            Assert.That(converted, Is.True, "a plain value takes the direct way");
            Assert.That(node?.ToJsonString() ?? "null", Is.EqualTo(JsonNode.Parse(engine.Evaluate($"JSON.stringify({expression})").AsString())?.ToJsonString() ?? "null"));
        });
    }

    [TestCase("({ retries: 1 })", Description = "numbers: JavaScript and .NET write some differently")]
    [TestCase("({ nested: { provider: 'any' } })")]
    [TestCase("({ get provider() { return 'any'; } })", Description = "a getter runs on the full path only")]
    [TestCase("({ toJSON: () => 'other' })")]
    [TestCase("(Object.prototype.toJSON = () => 'other', { provider: 'any' })")]
    [TestCase("Object.setPrototypeOf({ provider: 'any' }, { inherited: true })")]
    [TestCase("Object.create(null)")]
    [TestCase("({ 1: 'a', b: 'c' })", Description = "array-index keys come first")]
    [TestCase("({ provider: 'caf\\u00e9' })", Description = "escaped differently by System.Text.Json")]
    [TestCase("({ provider: '<any>' })")]
    [TestCase("({ provider: 'a\\ud800' })")]
    [TestCase("'x'.repeat(300)")]
    [TestCase("[1, 2]")]
    [TestCase("undefined")]
    [TestCase("Symbol('s')")]
    public void AnythingElse_IsLeftToTheFullConversion(string expression)
    {
        var engine = new SandboxEngineFactory(new SandboxLimits(), TimeProvider.System).Create().Engine;

        Assert.That(PlainJson.TryConvert(engine, engine.Evaluate(expression), out _), Is.False);
    }
}
