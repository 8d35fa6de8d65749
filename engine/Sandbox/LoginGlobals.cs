using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Auth0's runtime globals: <c>configuration</c> (frozen), <c>global</c>, <c>console</c> (captured),
/// <c>UnauthorizedError</c> and <c>auth0</c> (metadata updates become patches). They are registered once
/// on the shared options as lazy globals, built when a rule first touches them (or when a pooled engine is prepared)
/// from the rule set's configuration and domain; their functions act on the login running when they are called
/// (the engine's <see cref="LoginSandbox"/>), so a reused engine keeps them for all its logins. Globals that can block
/// a thread or escape the limits are replaced by <c>undefined</c>.
/// </summary>
internal static class LoginGlobals
{
    // No use in an MFA rule, and each can block a thread, outlive the limits, or allocate a gigabyte in one call
    // (binary buffers come back, size-capped, with the Node built-ins that need them).
    private static readonly string[] RemovedGlobals =
    [
        "SharedArrayBuffer", "Atomics", "ShadowRealm", "WeakRef", "FinalizationRegistry", "ArrayBuffer", "DataView",
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
        // Jint lets a BigInt reach a million bits, and turning one into a string is quadratic: String(2n ** 999999n)
        // took 6.7 s in one builtin call. With this global gone and BigInt literals refused at compile time, no rule can make one.
        "BigInt",
    ];

    private static readonly (string Method, string Level)[] ConsoleLevels =
        [("log", "info"), ("info", "info"), ("debug", "debug"), ("warn", "warn"), ("error", "error")];

    public static void Register(Options options)
    {
        foreach (var name in RemovedGlobals)
        {
            options.AddLazyGlobal(name, _ => JsValue.Undefined);
        }

        options.AddLazyGlobal("global", engine => engine.Global);
        options.AddLazyGlobal("configuration", engine => CreateConfiguration(SandboxOf(engine)));
        options.AddLazyGlobal("console", engine => CreateConsole(SandboxOf(engine)));
        options.AddLazyGlobal("auth0", engine => CreateAuth0(SandboxOf(engine)));
        options.AddLazyGlobal("UnauthorizedError", engine => engine.Evaluate(in Prelude.UnauthorizedError));
    }

    /// <summary>
    /// The globals an engine whose builtins are frozen leaves unfrozen and watches instead (see Pooling/EnginePool):
    /// Auth0's <c>console</c> and <c>auth0</c> are plain objects a rule may change, and <c>configuration</c> is already
    /// read-only.
    /// </summary>
    internal static readonly string[] Unfrozen = ["configuration", "console", "auth0"];

    private static LoginSandbox SandboxOf(JintEngine engine) =>
        engine.Advanced.HostDefined as LoginSandbox ?? throw new InvalidOperationException("The engine has no login sandbox.");

    private static JsObject CreateConfiguration(LoginSandbox sandbox)
    {
        var configuration = new JsObject(sandbox.Engine);
        foreach (var (name, value) in sandbox.Configuration)
        {
            configuration.FastSetProperty(name, new PropertyDescriptor(value, writable: false, enumerable: true, configurable: false));
        }

        configuration.PreventExtensions();
        return configuration;
    }

    private static JsObject CreateConsole(LoginSandbox creator)
    {
        var engine = creator.Engine;
        var console = new JsObject(engine);
        foreach (var (method, level) in ConsoleLevels)
        {
            console.FastSetDataProperty(method, new ClrFunction(engine, method, (_, arguments) =>
            {
                var sandbox = SandboxOf(engine);
                // Once the log is full a line costs nothing, so a console flood ends by the statement count every
                // time, not by the memory its formatting allocated or the clock, whichever came first.
                if (!sandbox.Outputs.LogIsFull)
                {
                    sandbox.Outputs.Log(sandbox.CurrentRuleId, level, Format(sandbox, arguments));
                }

                return JsValue.Undefined;
            }));
        }

        return console;
    }

    /// <summary>
    /// The arguments as one line, as Node's console writes them (objects as JSON), written only up to the log
    /// line's limit: a rule can hand console a thousand one-megabyte strings in one call.
    /// </summary>
    private static string Format(LoginSandbox sandbox, JsValue[] arguments)
    {
        var room = sandbox.Limits.MaxLogMessageLength + 1;
        var line = new System.Text.StringBuilder();
        foreach (var argument in arguments)
        {
            if (line.Length >= room)
            {
                break;
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            var text = FormatOne(sandbox, argument, room - line.Length);
            line.Append(text, 0, Math.Min(text.Length, room - line.Length));
        }

        return line.ToString();
    }

    private static string FormatOne(LoginSandbox sandbox, JsValue value, int room)
    {
        if (value.IsSymbol())
        {
            return value.ToString();
        }

        if (value is not ObjectInstance || value.IsCallable())
        {
            return TypeConverter.ToString(value);
        }

        try
        {
            var json = BoundedJson.For(sandbox.Engine).Stringify(value, JsValue.Undefined, JsValue.Undefined, room,
                () => new SandboxLimitException(SandboxLimit.StringLength, "console line too long"));
            return json.IsString() ? json.AsString() : "undefined";
        }
        catch (JavaScriptException)
        {
            return "[object]";
        }
        catch (SandboxLimitException)
        {
            return $"[object longer than {room:N0} characters]";
        }
    }

    private static JsObject CreateAuth0(LoginSandbox sandbox)
    {
        var engine = sandbox.Engine;
        var users = new JsObject(engine);
        users.FastSetDataProperty("updateAppMetadata", MetadataUpdater(engine, "updateAppMetadata", outputs => outputs.AppMetadata));
        users.FastSetDataProperty("updateUserMetadata", MetadataUpdater(engine, "updateUserMetadata", outputs => outputs.UserMetadata));

        var auth0 = new JsObject(engine);
        auth0.FastSetDataProperty("domain", sandbox.Domain);
        auth0.FastSetDataProperty("baseUrl", $"https://{sandbox.Domain}/api/v2");
        auth0.FastSetDataProperty("users", users);
        return auth0;
    }

    /// <summary>
    /// <c>auth0.users.updateAppMetadata(userId, metadata)</c>: a promise; the metadata becomes a top-level
    /// patch of the logging-in user. Any other user id is refused, so a rule cannot reach other users.
    /// </summary>
    private static ClrFunction MetadataUpdater(JintEngine engine, string name, Func<RuleOutputs, System.Text.Json.Nodes.JsonObject> patchOf) =>
        new(engine, name, (_, arguments) =>
        {
            var sandbox = SandboxOf(engine);
            var (promise, resolve, reject) = engine.Advanced.RegisterPromise();
            var requestedUser = arguments.Length > 0 ? TypeConverter.ToString(arguments[0]) : "";
            var metadata = arguments.Length > 1 ? JsValueConverter.ToJson(engine, arguments[1], sandbox.Limits, name == "updateAppMetadata" ? "app_metadata patch" : "user_metadata patch") : null;
            if (sandbox.UserId is null || requestedUser != sandbox.UserId)
            {
                reject(new JavaScriptException(engine.Intrinsics.Error, $"auth0.users.{name} can only update the user who is logging in").Error);
            }
            else if (metadata is not System.Text.Json.Nodes.JsonObject metadataObject)
            {
                reject(new JavaScriptException(engine.Intrinsics.TypeError, $"auth0.users.{name} takes the metadata as an object").Error);
            }
            else
            {
                RuleOutputs.MergePatch(patchOf(sandbox.Outputs), metadataObject);
                resolve(JsValue.Undefined);
            }

            return promise;
        }, 2);
}
