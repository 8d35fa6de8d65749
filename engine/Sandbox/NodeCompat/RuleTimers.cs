using Jint.Native;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// <c>setTimeout</c>/<c>setImmediate</c> of one rule run. Timers fire in the order Node would fire them (by delay,
/// then by creation), after the rule's promise jobs, without really waiting: the rule's clock does not move. A
/// timer whose delay reaches past the rule's time limit never fires, as the rule would have timed out first.
/// </summary>
internal sealed class RuleTimers
{
    /// <summary>Timers one rule run may have waiting at once.</summary>
    public const int MaxPending = 1_000;

    // Made by the first timer of a login: most logins set none.
    private SortedDictionary<(double Due, int Id), (JsValue Callback, JsValue[] Arguments)>? pending;
    private int lastId;
    private double now;

    public int Add(JintEngine engine, JsValue callback, double delay, JsValue[] arguments)
    {
        if (!callback.IsCallable())
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "The \"callback\" argument must be of type function");
        }

        pending ??= [];
        if (pending.Count >= MaxPending)
        {
            throw new JavaScriptException(engine.Intrinsics.Error, $"a rule may have at most {MaxPending} timers waiting");
        }

        var id = ++lastId;
        // As Node: a delay that is not a number, under 1 ms or over 2^31 - 1 ms is 1 ms.
        var wait = delay is >= 1 and <= int.MaxValue ? delay : 1;
        pending[(now + wait, id)] = (callback, arguments);
        return id;
    }

    public void Remove(JsValue id)
    {
        if (pending is not null && id.IsNumber())
        {
            var key = pending.Keys.FirstOrDefault(entry => entry.Id == (int)id.AsNumber());
            pending.Remove(key);
        }
    }

    /// <summary>Fires the timers due within <paramref name="limit"/> one by one, running the promise jobs each queues.</summary>
    public void Run(JintEngine engine, TimeSpan limit)
    {
        while (pending is { Count: > 0 })
        {
            var (key, (callback, arguments)) = pending.First();
            pending.Remove(key);
            if (key.Due >= limit.TotalMilliseconds)
            {
                continue;
            }

            now = key.Due;
            engine.Call(callback, JsValue.Undefined, arguments);
            engine.Advanced.ProcessTasks();
        }
    }

    /// <summary>Forgets every timer, so that none outlives the rule that set it.</summary>
    public void Clear()
    {
        pending?.Clear();
        now = 0;
    }
}
