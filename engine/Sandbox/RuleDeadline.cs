using System.Runtime.CompilerServices;
using Jint.Constraints;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The rule's wall-clock deadline and the thread's stack, checked before every statement.
/// Jint's own deadline constraint is amortized (checked every 64 statements), so a few slow builtin calls in
/// straight-line code (40 regular expressions of 99 ms each) ran seconds past the limit. The clock read here is the
/// system's coarse monotonic clock (<see cref="Environment.TickCount64"/>: a few nanoseconds, where a precise timestamp
/// cost about 20 ns and 7% of a ten-rule login), so the deadline is exact to one statement plus the clock's tick (4 ms
/// or less), far inside the 50 ms a hostile rule may overrun. The stack check turns a nearly full stack into a limit the
/// rule cannot catch (Jint's guard throws a RangeError, which a rule can catch and retry), and it stays tripped until
/// the rule ends.
/// </summary>
internal sealed class RuleDeadline : Constraint
{
    private const long Disarmed = long.MaxValue;

    private long deadline = Disarmed;
    private bool stackExhausted;

    public override bool IsAmortizable => false;

    /// <summary>Arms the deadline for one rule run.</summary>
    public void Begin(TimeSpan budget)
    {
        deadline = Environment.TickCount64 + (long)Math.Ceiling(budget.TotalMilliseconds);
        stackExhausted = false;
    }

    /// <summary>Disarms it after the run.</summary>
    public void End()
    {
        deadline = Disarmed;
        stackExhausted = false;
    }

    public override void Check()
    {
        if (stackExhausted || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            stackExhausted = true;
            throw new InsufficientExecutionStackException("The rule's calls are nested deeper than the stack allows.");
        }

        if (Environment.TickCount64 > deadline)
        {
            throw new TimeoutException("The rule ran past its time limit.");
        }
    }

    // Jint resets constraints at every entry (each Call and Evaluate); the deadline spans the whole rule run.
    public override void Reset()
    {
    }
}
