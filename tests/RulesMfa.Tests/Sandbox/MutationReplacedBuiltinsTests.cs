using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// The builtins <see cref="ArrayCaps"/>, <see cref="RegexCaps"/> and <see cref="BoundedRegExpConstructor"/> put in
/// place of Jint's look like the ones they replace (ECMA-262 17: writable, not enumerable, configurable; their
/// <c>name</c> and <c>length</c>), so <c>for...in</c> over an array or a string lists no method and a rule may still
/// override one; the reimplemented <c>lastIndexOf</c> checks the deadline and every search the memory limit at each
/// element; the forwarded static accessors of <c>RegExp</c> keep Jint's check of their receiver. Written against the
/// survivors of the mutation run of these files (TESTING.md).
/// </summary>
public sealed class MutationReplacedBuiltinsTests
{
    private const string Shape = "(o, k) => { const d = Object.getOwnPropertyDescriptor(o, k); return [d.writable, d.enumerable, d.configurable]; }";

    [TestCase("Array.prototype", "indexOf")]
    [TestCase("Array.prototype", "lastIndexOf")]
    [TestCase("Array.prototype", "includes")]
    [TestCase("Array.prototype", "sort")]
    [TestCase("Array.prototype", "toSorted")]
    [TestCase("Array.prototype", "concat")]
    [TestCase("Array.prototype", "flat")]
    [TestCase("String.prototype", "match")]
    [TestCase("String.prototype", "matchAll")]
    [TestCase("String.prototype", "search")]
    [TestCase("RegExp.prototype", "compile")]
    [TestCase("RegExp.prototype", "constructor")]
    [TestCase("globalThis", "RegExp")]
    public void ReplacedBuiltin_IsWritableConfigurableAndNotEnumerable(string owner, string key) =>
        Assert.That(RuleExpression.ValueOf($"({Shape})({owner}, '{key}')"), Is.EqualTo("[true,false,true]"));

    [Test]
    public void ForInOverAnArrayAndAString_ListsOnlyTheirIndexes() =>
        Assert.That(RuleExpression.ValueOf("(() => { const keys = []; for (const k in ['a']) keys.push(k); for (const k in 'b') keys.push(k); return keys; })()"),
            Is.EqualTo("""["0","0"]"""));

    [TestCase("[].indexOf", "indexOf", 1)]
    [TestCase("[].lastIndexOf", "lastIndexOf", 1)]
    [TestCase("[].includes", "includes", 1)]
    [TestCase("[].sort", "sort", 1)]
    [TestCase("[].toSorted", "toSorted", 1)]
    [TestCase("[].concat", "concat", 1)]
    [TestCase("[].flat", "flat", 0)]
    [TestCase("''.match", "match", 1)]
    [TestCase("''.matchAll", "matchAll", 1)]
    [TestCase("''.search", "search", 1)]
    [TestCase("/a/.compile", "compile", 2)]
    [TestCase("RegExp", "RegExp", 2)]
    public void ReplacedBuiltin_KeepsItsNameAndLength(string function, string name, int length) =>
        Assert.That(RuleExpression.ValueOf($"[{function}.name, {function}.length]"), Is.EqualTo($"[\"{name}\",{length}]"));

    [Test]
    public void RegExpOfTheRule_IsTheOneOnTheGlobalAndThePrototype() =>
        Assert.That(RuleExpression.ValueOf("[RegExp.prototype.constructor === RegExp, globalThis.RegExp === RegExp, /a/.constructor === RegExp]"),
            Is.EqualTo("[true,true,true]"));

    [Test]
    public void LastIndexOfAHugeArrayLike_IsStoppedByTheDeadline()
    {
        // As the indexOf test of MutationArrayCapsTests: memory room enough that only the clock can stop the search.
        var decision = RuleExpression.Run("Array.prototype.lastIndexOf.call({ length: 1e9 }, 'x')", limits =>
        {
            limits.RuleTimeout = TimeSpan.FromMilliseconds(100);
            limits.MaxMemoryBytes = 1L << 30;
        });

        Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Rule 'r1' ran longer than its time limit of 100 ms.")));
    }

    [TestCase("Array.prototype.indexOf")]
    [TestCase("Array.prototype.lastIndexOf")]
    [TestCase("Array.prototype.includes")]
    public void SearchOfAHugeArrayLike_IsStoppedByTheMemoryLimitInsideTheCall(string search)
    {
        // Each element read allocates its key; with ten seconds of time only the memory check inside the loop stops it.
        var decision = RuleExpression.Run($"{search}.call({{ length: 1e9 }}, 'x')", limits => limits.MaxMemoryBytes = 1L << 20);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Limit, Is.EqualTo(SandboxLimit.Memory));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Rule 'r1' allocated more than 1,048,576 bytes.")));
        });
    }

    [TestCase("$1")]
    [TestCase("lastMatch")]
    [TestCase("input")]
    public void RegExpStaticAccessor_OnAnotherReceiver_ReadsTheStaticsAsInNode(string key) =>
        Assert.That(RuleExpression.ValueOf($"(() => {{ /(b)/.exec('abc'); return Object.getOwnPropertyDescriptor(RegExp, '{key}').get.call({{}}) === RegExp['{key}']; }})()"),
            Is.EqualTo("true"));

    [Test]
    public void RegExpStaticAccessor_OnASubclass_ReadsAndSetsTheStaticsAsInNode() =>
        Assert.That(RuleExpression.ValueOf("(() => { class R extends RegExp {} /(b)/.exec('abc'); const first = R.$1; R.input = 'x'; return [first, RegExp.input]; })()"),
            Is.EqualTo("""["b","x"]"""));

    [Test]
    public void RegExpStaticAccessor_Assigned_KeepsTheLastMatch() =>
        // As in Node (sloppy mode): the assignment is ignored, not an error.
        Assert.That(RuleExpression.ValueOf("(() => { /(b)/.exec('abc'); RegExp.$1 = 'x'; RegExp.lastMatch = 'y'; return [RegExp.$1, RegExp.lastMatch]; })()"),
            Is.EqualTo("""["b","b"]"""));

    [Test]
    public void RegExpStaticAccessor_AssignedInStrictMode_IsIgnoredAsInNode() =>
        Assert.That(RuleExpression.ValueOf("(() => { 'use strict'; /(b)/.exec('abc'); RegExp.$1 = 'x'; RegExp.lastMatch = 'y'; RegExp.input = 'set'; return [RegExp.$1, RegExp.lastMatch, RegExp.input]; })()"),
            Is.EqualTo("""["b","b","set"]"""));

    [TestCase("$1")]
    [TestCase("lastMatch")]
    [TestCase("input")]
    [TestCase("$_")]
    public void RegExpStaticGetter_IsNamedAndSizedAsInNode(string key) =>
        Assert.That(RuleExpression.ValueOf($"(() => {{ const d = Object.getOwnPropertyDescriptor(RegExp, '{key}'); return [d.get.name, d.get.length]; }})()"),
            Is.EqualTo($"""["get {key}",0]"""));

    // Jint 4.18 gives only input and $_ a setter; Node gives every one a setter, which the others ignore.
    [TestCase("input")]
    [TestCase("$_")]
    [TestCase("$1")]
    [TestCase("lastMatch")]
    [TestCase("leftContext")]
    public void RegExpStaticSetter_IsNamedAndSizedAsInNode(string key) =>
        Assert.That(RuleExpression.ValueOf($"(() => {{ const d = Object.getOwnPropertyDescriptor(RegExp, '{key}'); return [d.set.name, d.set.length]; }})()"),
            Is.EqualTo($"""["set {key}",1]"""));

    [TestCase("$1")]
    [TestCase("lastMatch")]
    public void RegExpStaticAccessor_IsAGetterThatIsNotEnumerable(string key) =>
        Assert.That(RuleExpression.ValueOf($"(() => {{ const d = Object.getOwnPropertyDescriptor(RegExp, '{key}'); return [typeof d.get, d.enumerable, d.configurable]; }})()"),
            Is.EqualTo("""["function",false,true]"""));

    [TestCase("(() => { const re = /ab/g; re[Symbol.match] = undefined; return RegExp(re) === re; })()", "true")]
    [TestCase("(() => { const re = /ab/; re[Symbol.match] = undefined; try { 'ab'.matchAll(re); return 'no error'; } catch (e) { return e.name; } })()", "\"TypeError\"")]
    [TestCase("(() => { const re = /ab/; re[Symbol.match] = undefined; return new RegExp(re, 'g').source; })()", "\"ab\"")]
    public void RegExpWhoseMatchSymbolIsUndefined_IsStillARegExp(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("'abc'.search(/c/)", "2")]
    [TestCase("'abcabc'.search(/c/g)", "2")]
    [TestCase("'abc'.match(/b/).index", "1")]
    public void SearchAndMatch_TakeANonGlobalRegExp(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("[2, 1].lastIndexOf(1, 0)", "-1")]
    [TestCase("[2, 1].lastIndexOf(2, 0)", "0")]
    [TestCase("[1, 2].includes(undefined)", "false")]
    [TestCase("Array(2).includes(undefined)", "true")]
    public void SearchStartAndEnd_AreTheSpecifications(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [Test]
    public void FlatWhoseCountReachesTwiceTheLimitBeforeItsLastNestedArray_IsRefused() =>
        // The array-like's length alone is twice the limit (2,048); the count goes on to its nested array, so one more.
        RuleExpression.AssertRefused("Array.prototype.flat.call({ length: 2048, 0: [1] }).length", SandboxLimit.ArraySize,
            "flat would build an array of 2,049 elements or more, over the limit of 1,024");
}
