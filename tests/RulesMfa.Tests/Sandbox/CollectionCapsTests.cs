namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// <c>Set</c> and <c>Map</c> still answer as ECMA-262 says with the limits checked per element (issue 20): the
/// constructors, and the set methods given a real <c>Set</c> (no longer Jint's native fast path) or a set-like object.
/// </summary>
public sealed class CollectionCapsTests
{
    [TestCase("[...new Set([1, 2, 2, -0, 0])]", "[1,2,0]")]
    [TestCase("[...new Map([['a', 1], ['b', 2], ['a', 3]])]", """[["a",3],["b",2]]""")]
    [TestCase("(() => { class Counting extends Set { add(v) { this.added = (this.added || 0) + 1; return super.add(v); } } return new Counting([1, 1, 2]).added; })()", "3")]
    [TestCase("[...new Set([1, 2, 3]).union(new Set([3, 4]))]", "[1,2,3,4]")]
    [TestCase("[...new Set([1, 2, 3]).intersection(new Set([3, 2, 9]))]", "[2,3]")]
    [TestCase("[...new Set([1, 2, 3]).difference(new Set([2]))]", "[1,3]")]
    [TestCase("[...new Set([1, 2, 3]).symmetricDifference(new Set([3, 4]))]", "[1,2,4]")]
    [TestCase("[new Set([1]).isSubsetOf(new Set([1, 2])), new Set([1, 3]).isSubsetOf(new Set([1, 2]))]", "[true,false]")]
    [TestCase("[new Set([1, 2]).isSupersetOf(new Set([1])), new Set([1]).isSupersetOf(new Set([1, 2]))]", "[true,false]")]
    [TestCase("[new Set([1]).isDisjointFrom(new Set([2])), new Set([1]).isDisjointFrom(new Set([1]))]", "[true,false]")]
    [TestCase("[...new Set([1, 2]).union(new Map([[3, 'x']]))]", "[1,2,3]")]
    [TestCase("[...new Set([1, 2, 3]).intersection({ size: 9, has: v => v !== 2, keys: () => [].values() })]", "[1,3]")]
    [TestCase("[...new Set([1, 2, 3, 4]).difference({ size: 2, has: () => false, keys: () => [2, 3].values() })]", "[1,4]")]
    [TestCase("(() => { const log = []; new Set([1]).union({ get size() { log.push('size'); return 1; }, get has() { log.push('has'); return () => false; }, get keys() { log.push('keys'); return () => [].values(); } }); return log; })()", """["size","has","keys"]""")]
    [TestCase("(() => { let closed = 0; const keys = () => ({ next: () => ({ value: 1, done: false }), return: () => { closed++; return {}; } }); return [new Set([1, 2]).isDisjointFrom({ size: 1, has: () => true, keys }), closed]; })()", "[false,1]")]
    public void Collections_AnswerAsTheSpecificationSays(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("new Set([1]).union(1)")]
    [TestCase("new Set([1]).union({ size: 1, has: 1, keys: () => [].values() })")]
    [TestCase("new Set([1]).union({ size: NaN, has: () => true, keys: () => [].values() })")]
    public void SetMethodGivenNoSetLike_IsATypeError(string expression) =>
        Assert.That(RuleExpression.ValueOf($"(() => {{ try {{ {expression}; return 'no error'; }} catch (e) {{ return e instanceof TypeError; }} }})()"), Is.EqualTo("true"));
}
