using Jint.Native;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox;

/// <summary>Observes how a value returned by a rule settles, through the promise's own <c>then</c>.</summary>
internal sealed class PromiseWatch
{
    // What a value that is not a promise gives: settled, never rejected, so one instance serves every rule.
    private static readonly PromiseWatch NotAPromise = new() { Settled = true };

    private PromiseWatch()
    {
    }

    public bool Settled { get; private set; }

    public JsValue? Rejection { get; private set; }

    public static PromiseWatch Attach(JintEngine engine, JsValue value)
    {
        if (!value.IsPromise())
        {
            return NotAPromise;
        }

        var watch = new PromiseWatch();
        var onFulfilled = new ClrFunction(engine, "", (_, _) =>
        {
            watch.Settled = true;
            return JsValue.Undefined;
        });
        var onRejected = new ClrFunction(engine, "", (_, arguments) =>
        {
            watch.Settled = true;
            watch.Rejection = arguments.Length > 0 ? arguments[0] : JsValue.Undefined;
            return JsValue.Undefined;
        });
        engine.Call(value.AsObject().Get("then"), value, [onFulfilled, onRejected]);
        return watch;
    }
}
