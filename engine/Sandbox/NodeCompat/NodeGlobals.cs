using Jint.Native;
using Jint.Runtime.Descriptors;
using RulesMfa.Engine.Sandbox.Modules;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// The Node.js runtime globals Auth0 rules rely on: <c>require</c> (allowed modules only), <c>Buffer</c>,
/// <c>process</c> (a version, an empty <c>env</c>), and <c>uuid</c>, which Auth0 provided without a require.
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
    }

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
