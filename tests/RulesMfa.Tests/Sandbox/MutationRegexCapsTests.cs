using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// <see cref="RegexCaps"/> and <see cref="BoundedRegExpConstructor"/>: every way a rule turns a string into a regular
/// expression is refused at one character over the limit (256 here) and works at the limit; the replaced
/// <c>RegExp</c>, <c>match</c>, <c>matchAll</c> and <c>search</c> still answer as ECMA-262 says. Written for mutation
/// testing (TESTING.md).
/// </summary>
public sealed class MutationRegexCapsTests
{
    private const string Over = "built a regular expression of 257 characters, over the limit of 256";

    [TestCase("'x'.match('a'.repeat(256))", "null")]
    [TestCase("'x'.search('a'.repeat(256))", "-1")]
    [TestCase("[...'x'.matchAll('a'.repeat(256))].length", "0")]
    [TestCase("new RegExp('a'.repeat(256)).source.length", "256")]
    [TestCase("RegExp('a'.repeat(256)).source.length", "256")]
    [TestCase("/b/.compile('a'.repeat(256)).source.length", "256")]
    public void PatternAtTheLimit_IsBuilt(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("'x'.match('a'.repeat(257))")]
    [TestCase("'x'.search('a'.repeat(257))")]
    [TestCase("'x'.matchAll('a'.repeat(257))")]
    [TestCase("new RegExp('a'.repeat(257))")]
    [TestCase("RegExp('a'.repeat(257))")]
    [TestCase("/b/.compile('a'.repeat(257))")]
    [TestCase("new RegExp({ [Symbol.match]: true, source: 'a'.repeat(257), flags: 'g' })")]
    [TestCase("(() => { class Longer extends RegExp {} return new Longer('a'.repeat(257)); })()")]
    [TestCase("new RegExp({ toString() { return 'a'.repeat(257); } })")]
    public void PatternOneOverTheLimit_IsRefused(string expression) =>
        RuleExpression.AssertRefused(expression, SandboxLimit.Regex, Over);

    [TestCase("(() => { const re = /x/g; return RegExp(re) === re; })()", "true")]
    [TestCase("(() => { const re = /x/g; return RegExp(re, 'g') === re; })()", "false")]
    [TestCase("(() => { const re = /x/g; return new RegExp(re) === re; })()", "false")]
    [TestCase("(() => { const re = /x/g; re.constructor = Object; return RegExp(re) === re; })()", "false")]
    [TestCase("[new RegExp(/x/g).source, new RegExp(/x/g).flags, new RegExp(/x/g, 'i').flags]", """["x","g","i"]""")]
    [TestCase("(() => { const r = new RegExp({ [Symbol.match]: true, source: 'ab', flags: 'g' }); return [r.source, r.flags]; })()", """["ab","g"]""")]
    [TestCase("(() => { const r = new RegExp({ [Symbol.match]: true, source: 'ab', flags: 'g' }, 'y'); return [r.source, r.flags]; })()", """["ab","y"]""")]
    [TestCase("(() => { const re = /ab/g; re[Symbol.match] = false; const r = new RegExp(re); return [r.source, r.flags]; })()", """["\\/ab\\/g",""]""")]
    [TestCase("(() => { const fake = { [Symbol.match]: false, source: 'zz', toString() { return 'q' } }; return new RegExp(fake).source; })()", "\"q\"")]
    [TestCase("new RegExp().source", "\"(?:)\"")]
    [TestCase("(() => { class Sub extends RegExp {} const s = new Sub('a', 'g'); return [s instanceof Sub, s instanceof RegExp, /a/ instanceof RegExp]; })()", "[true,true,true]")]
    [TestCase("(() => { /(b)(c)/.exec('abcd'); return [RegExp.$1, RegExp.$2, RegExp.lastMatch]; })()", """["b","c","bc"]""")]
    [TestCase("typeof RegExp[Symbol.species]", "\"function\"")]
    [TestCase("'a,b'.split(/,/)", """["a","b"]""")]
    [TestCase("/b/g.compile(/c/i).flags", "\"i\"")]
    [TestCase("/b/g.compile().source", "\"(?:)\"")]
    public void RegExpConstructor_AnswersAsTheSpecificationSays(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("'abc'.match('b').index", "1")]
    [TestCase("'a1'.match(1)[0]", "\"1\"")]
    [TestCase("'abc'.match(undefined)", "[\"\"]")]
    [TestCase("'abc'.search(null)", "-1")]
    [TestCase("'anull'.search(null)", "1")]
    [TestCase("'abc'.search('c')", "2")]
    [TestCase("[...'a1b2'.matchAll(/\\d/g)].map(m => m[0])", """["1","2"]""")]
    [TestCase("[...'a1b2'.matchAll('\\\\d')].map(m => m[0])", """["1","2"]""")]
    [TestCase("'abc'.match({ [Symbol.match](s) { return 'custom:' + s; } })", "\"custom:abc\"")]
    [TestCase("'abc'.search({ [Symbol.search](s) { return 42; } })", "42")]
    [TestCase("'abc'.matchAll({ [Symbol.matchAll](s) { return 'all:' + s; } })", "\"all:abc\"")]
    [TestCase("'abc'.matchAll({ [Symbol.match]: true, flags: 'g', [Symbol.matchAll](s) { return 'ok'; } })", "\"ok\"")]
    [TestCase("'abc'.match({ [Symbol.match]: null, toString() { return 'b'; } }).index", "1")]
    public void StringMatchers_AnswerAsTheSpecificationSays(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("'abc'.matchAll(/b/)", "String.prototype.matchAll called with a non-global RegExp argument")]
    [TestCase("'abc'.matchAll({ [Symbol.match]: true, flags: 'i', [Symbol.matchAll]() { return 1; } })", "String.prototype.matchAll called with a non-global RegExp argument")]
    [TestCase("'abc'.matchAll({ [Symbol.match]: true, flags: undefined, [Symbol.matchAll]() { return 1; } })", "String.prototype.matchAll called with a non-global RegExp argument")]
    [TestCase("String.prototype.match.call(null, 'a')", "String.prototype method called on null or undefined")]
    [TestCase("String.prototype.search.call(undefined, 'a')", "String.prototype method called on null or undefined")]
    [TestCase("'abc'.match({ [Symbol.match]: 5 })", "Symbol(Symbol.match) is not a function")]
    public void StringMatchers_Misused_ThrowTheSpecificationsTypeError(string expression, string message) =>
        RuleExpression.AssertThrows(expression, message);
}
