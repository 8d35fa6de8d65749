using System.Linq.Expressions;
using System.Reflection;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The promise jobs a rule left in its engine's queue when it ended without draining it: it threw after queueing them
/// (a thrown error ends the call before <see cref="LoginSandbox.CallAndDrain"/> drains), a timer of it threw, or a
/// getter the outputs reader ran queued them. Left there, they ran in the next rule's drain, or, on a reused engine,
/// in the next login's, where the attacker's code acted on that login. Jint 4.18 keeps the queue internal
/// (<c>Engine._eventLoop._events</c>); it is read through a compiled accessor, and a Jint upgrade that renames it fails
/// here, at the first engine, loudly (and the leak tests with it).
/// </summary>
internal static class PendingJobs
{
    private static readonly Func<JintEngine, bool> DiscardAll = Compile();

    /// <summary>Forgets every queued job, so none runs later; true when there were any.</summary>
    public static bool Discard(JintEngine engine) => DiscardAll(engine);

    private static Func<JintEngine, bool> Compile()
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;
        var loop = typeof(JintEngine).GetField("_eventLoop", Instance)
            ?? throw new InvalidOperationException("Jint's Engine has no _eventLoop field any more: jobs a rule leaves queued could run later.");
        var events = loop.FieldType.GetField("_events", Instance)
            ?? throw new InvalidOperationException("Jint's EventLoop has no _events field any more: jobs a rule leaves queued could run later.");
        var isEmpty = events.FieldType.GetProperty("IsEmpty") ?? throw new InvalidOperationException($"{events.FieldType} has no IsEmpty.");
        var clear = events.FieldType.GetMethod("Clear", Type.EmptyTypes) ?? throw new InvalidOperationException($"{events.FieldType} has no Clear().");

        var engine = Expression.Parameter(typeof(JintEngine));
        var queue = Expression.Variable(events.FieldType);
        var body = Expression.Block(
            typeof(bool),
            [queue],
            Expression.Assign(queue, Expression.Field(Expression.Field(engine, loop), events)),
            Expression.Condition(
                Expression.Property(queue, isEmpty),
                Expression.Constant(false),
                Expression.Block(Expression.Call(queue, clear), Expression.Constant(true))));
        return Expression.Lambda<Func<JintEngine, bool>>(body, engine).Compile();
    }
}
