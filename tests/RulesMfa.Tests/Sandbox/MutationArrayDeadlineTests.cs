using RulesMfa.Engine.Decisions;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// <see cref="Engine.Sandbox.ArrayCaps"/>' searches and default sort order. The searches check the deadline at every
/// element, where Jint's own go through a dense array without one, so a search of a dense array of long
/// strings is stopped inside the call. The default sort order: <c>sort()</c> and <c>toSorted()</c> without a comparator
/// compare with the sandbox's own order, a function, before each call of which Jint checks the deadline, so a sort that
/// would run for seconds in Jint's native loop is stopped inside the call. Written for mutation testing (TESTING.md):
/// without the replacement, or with Jint's own order passed on, the sort ran to its end (1.4 to 11 s) and the statement
/// went on.
/// </summary>
public sealed class MutationArrayDeadlineTests
{
    // Two flat one-megabyte strings that differ in their last character, 6,000 times (the hostile suite's attack,
    // smaller): about 70,000 comparisons of a megabyte each, seconds against a 500 ms limit. The same statement then
    // logs, which it must never reach: the limit stops the rule inside the call.
    [TestCase("sort")]
    [TestCase("toSorted")]
    public void DefaultSortOfLongStrings_IsStoppedInsideTheCall(string method) =>
        AssertStoppedInsideTheCall(
            $"(() => {{ const x = 'a'.repeat(1 << 20), y = 'b'.padStart(1 << 20, 'a'); const a = Array.from({{ length: 6000 }}, (_, i) => i % 2 ? x : y); return [a.{method}().length, console.log('returned')]; }})()");

    // 30,000 references to a one-megabyte string, searched for another of the same length that differs in its last
    // character: seconds of comparisons in Jint's own loop over a dense array, against a 500 ms limit.
    [TestCase("indexOf")]
    [TestCase("lastIndexOf")]
    [TestCase("includes")]
    public void SearchOfADenseArrayOfLongStrings_IsStoppedInsideTheCall(string method) =>
        AssertStoppedInsideTheCall(
            $"(() => {{ const s = 'a'.repeat(1 << 20); const a = new Array(30000).fill(s); return [a.{method}('b'.padStart(1 << 20, 'a')), console.log('returned')]; }})()");

    private static void AssertStoppedInsideTheCall(string expression)
    {
        var decision = RuleExpression.Run(expression, limits =>
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
