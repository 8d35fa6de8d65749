using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The <c>callback(err, user, context)</c> handed to a Rule. Only the first call of a run counts; later ones are
/// ignored and logged. A missing or non-object <c>user</c>/<c>context</c> keeps the previous one. A pooled engine makes
/// one per Rule when it is prepared and every login reuses it (<see cref="Begin"/>), so its function object is recorded
/// with the rest of the engine's state (see Pooling/EnginePool); a fresh engine makes one per run.
/// </summary>
internal sealed class RuleCallback
{
    private readonly string ruleId;
    private LoginSandbox? sandbox;

    public RuleCallback(JintEngine engine, string ruleId)
    {
        this.ruleId = ruleId;
        Function = new ClrFunction(engine, "callback", Call, 3);
    }

    public ClrFunction Function { get; }

    public bool Called { get; private set; }

    /// <summary>The first argument of the first call: null or undefined means success.</summary>
    public JsValue Error { get; private set; } = JsValue.Undefined;

    public bool Failed => Called && !Error.IsNull() && !Error.IsUndefined();

    public ObjectInstance? User { get; private set; }

    public ObjectInstance? Context { get; private set; }

    /// <summary>Starts a run of the rule in <paramref name="login"/>: not called yet.</summary>
    public RuleCallback Begin(LoginSandbox login)
    {
        sandbox = login;
        Called = false;
        Error = JsValue.Undefined;
        User = null;
        Context = null;
        return this;
    }

    private JsValue Call(JsValue thisValue, JsValue[] arguments)
    {
        var sandbox = this.sandbox ?? throw new InvalidOperationException("A rule's callback was called outside a run of the rule.");
        if (Called)
        {
            sandbox.Outputs.Log(ruleId, "warn", "callback was called more than once; only the first call counts");
            return JsValue.Undefined;
        }

        Called = true;
        Error = Argument(arguments, 0);
        User = Replacement(sandbox, ruleId, Argument(arguments, 1), "user");
        Context = Replacement(sandbox, ruleId, Argument(arguments, 2), "context");
        return JsValue.Undefined;
    }

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;

    private static ObjectInstance? Replacement(LoginSandbox sandbox, string ruleId, JsValue value, string name)
    {
        if (value is ObjectInstance replacement)
        {
            return replacement;
        }

        if (!value.IsNull() && !value.IsUndefined())
        {
            sandbox.Outputs.Log(ruleId, "warn", $"callback's {name} argument is not an object; the previous {name} was kept");
        }

        return null;
    }
}
