using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;
using Jint.Runtime.Descriptors;
using RulesMfa.Engine.Sandbox.Modules;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// The Node.js runtime globals Auth0 rules rely on: <c>require</c> (allowed modules only), <c>Buffer</c>,
/// <c>process</c> (a version, an empty <c>env</c>), <c>uuid</c>, which Auth0 provided without a require, and
/// <c>setTimeout</c>/<c>setImmediate</c> with their <c>clear</c> functions (<see cref="RuleTimers"/>).
/// Registered as lazy globals on the shared options, like <see cref="LoginGlobals"/>.
/// </summary>
internal static class NodeGlobals
{
    /// <summary>The Node.js version Auth0's last rules runtime reported.</summary>
    public const string NodeVersion = "v18.20.4";

    public static void Register(Options options)
    {
        options.AddLazyGlobal("require", engine => ModuleRegistry.For(engine).Require);
        options.AddLazyGlobal("Buffer", engine => NodeBinary.For(engine).Buffer);
        options.AddLazyGlobal("uuid", engine => ModuleRegistry.For(engine).Load("uuid"));
        options.AddLazyGlobal("process", CreateProcess);
        options.AddLazyGlobal("jwt", NodeJwt.Create);
        options.AddLazyGlobal("setTimeout", engine => Timer(engine, "setTimeout", delayed: true));
        options.AddLazyGlobal("setImmediate", engine => Timer(engine, "setImmediate", delayed: false));
        options.AddLazyGlobal("clearTimeout", engine => ClearTimer(engine, "clearTimeout"));
        options.AddLazyGlobal("clearImmediate", engine => ClearTimer(engine, "clearImmediate"));
    }

    private static ClrFunction Timer(JintEngine engine, string name, bool delayed) => new(engine, name, (_, arguments) =>
    {
        var callback = arguments.Length > 0 ? arguments[0] : JsValue.Undefined;
        var delay = delayed && arguments.Length > 1 ? TypeConverter.ToNumber(arguments[1]) : 0;
        var extra = arguments.Skip(delayed ? 2 : 1).ToArray();
        return SandboxOf(engine).Timers.Add(engine, callback, delay, extra);
    }, delayed ? 2 : 1);

    private static ClrFunction ClearTimer(JintEngine engine, string name) => new(engine, name, (_, arguments) =>
    {
        SandboxOf(engine).Timers.Remove(arguments.Length > 0 ? arguments[0] : JsValue.Undefined);
        return JsValue.Undefined;
    }, 1);

    private static LoginSandbox SandboxOf(JintEngine engine) =>
        engine.Advanced.HostDefined as LoginSandbox ?? throw new InvalidOperationException("The engine has no login sandbox.");

    private static JsObject CreateProcess(JintEngine engine)
    {
        var env = new JsObject(engine);
        env.PreventExtensions();
        var versions = new JsObject(engine);
        versions.FastSetProperty("node", new PropertyDescriptor(NodeVersion[1..], writable: false, enumerable: true, configurable: false));
        var process = new JsObject(engine);
        process.FastSetProperty("version", new PropertyDescriptor(NodeVersion, writable: false, enumerable: true, configurable: false));
        process.FastSetProperty("versions", new PropertyDescriptor(versions, writable: false, enumerable: true, configurable: false));
        process.FastSetProperty("env", new PropertyDescriptor(env, writable: false, enumerable: true, configurable: false));
        process.FastSetProperty("platform", new PropertyDescriptor("linux", writable: false, enumerable: true, configurable: false));
        return process;
    }
}
