using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// <see cref="ArrayCaps"/>: the searches and the default sort order, which the sandbox reimplements so the deadline
/// is checked at every element, still answer as ECMA-262 says (start index, negative index, holes, NaN, types); and the
/// <c>concat</c> and <c>flat</c> counts refuse at one element over the array limit (1,024 here), not at the limit.
/// Written for mutation testing (TESTING.md).
/// </summary>
public sealed class MutationArrayCapsTests
{
    [TestCase("[1, 2, 3, 2].indexOf(2)", "1")]
    [TestCase("[1, 2, 3, 2].indexOf(2, 2)", "3")]
    [TestCase("[1, 2, 3, 2].indexOf(2, -1)", "3")]
    [TestCase("[1, 2, 3, 2].indexOf(2, -10)", "1")]
    [TestCase("[1, 2, 3, 2].indexOf(2, 4)", "-1")]
    [TestCase("[1, 2, 3, 2].indexOf(9)", "-1")]
    [TestCase("[1, 2, 3, 2].lastIndexOf(2)", "3")]
    [TestCase("[1, 2, 3, 2].lastIndexOf(2, 2)", "1")]
    [TestCase("[1, 2, 3, 2].lastIndexOf(2, -2)", "1")]
    [TestCase("[1, 2, 3, 2].lastIndexOf(2, 10)", "3")]
    [TestCase("[1, 2, 3, 2].lastIndexOf(2, -10)", "-1")]
    [TestCase("[1, 2, 3, 2].lastIndexOf(1, 0)", "0")]
    [TestCase("[].lastIndexOf(undefined)", "-1")]
    [TestCase("[1, 2, 3].includes(3, 3)", "false")]
    [TestCase("[1, 2, 3].includes(1, -1)", "false")]
    [TestCase("[1, 2, 3].includes(3, -1)", "true")]
    [TestCase("[1, 2, 3].includes(4)", "false")]
    [TestCase("[NaN].indexOf(NaN)", "-1")]
    [TestCase("[NaN].lastIndexOf(NaN)", "-1")]
    [TestCase("[NaN].includes(NaN)", "true")]
    [TestCase("[1, NaN].includes(2)", "false")]
    [TestCase("[0].includes(-0)", "true")]
    [TestCase("[, 1].includes(undefined)", "true")]
    [TestCase("[, 1].indexOf(undefined)", "-1")]
    [TestCase("[, 1].lastIndexOf(undefined)", "-1")]
    [TestCase("[undefined, 1].lastIndexOf(undefined)", "0")]
    [TestCase("['1'].indexOf(1)", "-1")]
    [TestCase("[1].indexOf('1')", "-1")]
    [TestCase("['ab'].indexOf('a' + 'b')", "0")]
    [TestCase("[null].indexOf(undefined)", "-1")]
    [TestCase("[{}].indexOf({})", "-1")]
    [TestCase("(() => { const o = {}; return [1, o].indexOf(o); })()", "1")]
    [TestCase("Array.prototype.indexOf.call('abc', 'c')", "2")]
    [TestCase("Array.prototype.includes.call({ length: 2, 0: 'x', 1: 'y' }, 'y')", "true")]
    public void Search_AnswersAsTheSpecificationSays(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("Array.prototype.indexOf.call(null, 1)")]
    [TestCase("Array.prototype.includes.call(undefined, 1)")]
    public void SearchOnNullOrUndefined_IsATypeError(string expression) =>
        RuleExpression.AssertThrows(expression, "Array.prototype method called on null or undefined");

    [Test]
    public void SearchOfAHugeArrayLike_IsStoppedByTheDeadline()
    {
        // Each element read allocates its key, so the memory limit gets room enough that only the clock can stop the search.
        var decision = RuleExpression.Run("Array.prototype.indexOf.call({ length: 1e9 }, 'x')", limits =>
        {
            limits.RuleTimeout = TimeSpan.FromMilliseconds(100);
            limits.MaxMemoryBytes = 1L << 30;
        });

        Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Rule 'r1' ran longer than its time limit of 100 ms.")));
    }

    [TestCase("['b', 'a', 'B', 10, 9, 1].sort()", """[1,10,9,"B","a","b"]""")]
    [TestCase("['b', 'a', 'B', 10, 9, 1].toSorted()", """[1,10,9,"B","a","b"]""")]
    [TestCase("[3, 1, 2].sort((a, b) => b - a)", "[3,2,1]")]
    [TestCase("[3, 1, 2].toSorted((a, b) => b - a)", "[3,2,1]")]
    public void Sort_OrdersAsTheSpecificationSays(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("[].concat(Array(1024).fill(0)).length", "1024")]
    [TestCase("[].concat(Array(1023).fill(0), 5).length", "1024")]
    [TestCase("(() => { const a = Array(1024).fill(0); a[Symbol.isConcatSpreadable] = false; return [].concat(a, a).length; })()", "2")]
    [TestCase("[[1, 2], [3, [4]]].flat()", "[1,2,3,[4]]")]
    [TestCase("[[1, [2, [3]]]].flat(Infinity)", "[1,2,3]")]
    [TestCase("(() => { const a = Array(700).fill(0); return [[a, a, a]].flat().length; })()", "3")]
    [TestCase("(() => { const a = Array(700).fill(0); return [a, a].flat(0).length; })()", "2")]
    public void ConcatAndFlat_WithinTheLimit_Work(string expression, string json) =>
        Assert.That(RuleExpression.ValueOf(expression), Is.EqualTo(json));

    [TestCase("[1].concat(Array(1024).fill(0))", "concat would build an array of 1,025 elements or more, over the limit of 1,024")]
    [TestCase("[].concat(Array(1024).fill(0), 5)", "concat would build an array of 1,025 elements or more, over the limit of 1,024")]
    [TestCase("[].concat({ length: 2000, [Symbol.isConcatSpreadable]: true })", "concat would build an array of 2,000 elements or more, over the limit of 1,024")]
    [TestCase("(() => { const a = Array(700).fill(0); return [[a, a, a]].flat(2); })()", "flat would build an array of 2,104 elements or more, over the limit of 1,024")]
    [TestCase("(() => { const a = Array(700).fill(0); return [a, a, a].flat(); })()", "flat would build an array of 2,103 elements or more, over the limit of 1,024")]
    public void ConcatAndFlat_OverTheLimit_AreRefusedBeforeTheyBuild(string expression, string what) =>
        RuleExpression.AssertRefused(expression, SandboxLimit.ArraySize, what);

    [Test]
    public void FlatVisitingExactlyTwiceTheLimit_IsLeftToTheArrayLimit() =>
        // 2 + 2 × 1,023 = 2,048 visits is not over the count's bound (twice the limit): Jint's own array limit stops the
        // 2,046-element result, with its own description.
        RuleExpression.AssertRefused("(() => { const a = Array(1023).fill(0); return [a, a].flat(); })()",
            SandboxLimit.ArraySize, "grew an array past the limit of 1,024 elements");
}
