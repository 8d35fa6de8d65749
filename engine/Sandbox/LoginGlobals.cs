using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Installs Auth0's runtime globals on a fresh engine: <c>configuration</c> (frozen), <c>global</c>,
/// <c>console</c> (captured), <c>UnauthorizedError</c> and <c>auth0</c> (metadata updates become patches).
/// </summary>
internal static class LoginGlobals
{
    private static readonly (string Method, string Level)[] ConsoleLevels =
        [("log", "info"), ("info", "info"), ("debug", "debug"), ("warn", "warn"), ("error", "error")];

    public static void Install(LoginSandbox sandbox, IReadOnlyDictionary<string, string> configuration, string domain, string? userId)
    {
        var engine = sandbox.Engine;
        engine.Execute(in Prelude.Script);

        var frozenConfiguration = new JsObject(engine);
        foreach (var (name, value) in configuration)
        {
            frozenConfiguration.FastSetProperty(name, new PropertyDescriptor(value, writable: false, enumerable: true, configurable: false));
        }

        frozenConfiguration.PreventExtensions();
        engine.SetValue("configuration", frozenConfiguration);
        engine.SetValue("global", engine.Global);
        engine.SetValue("console", CreateConsole(sandbox));
        engine.SetValue("auth0", CreateAuth0(sandbox, domain, userId));
    }

    private static JsObject CreateConsole(LoginSandbox sandbox)
    {
        var console = new JsObject(sandbox.Engine);
        foreach (var (method, level) in ConsoleLevels)
        {
            console.FastSetDataProperty(method, new ClrFunction(sandbox.Engine, method, (_, arguments) =>
            {
                sandbox.Outputs.Log(sandbox.CurrentRuleId, level, string.Join(' ', arguments.Select(argument => Format(sandbox.Engine, argument))));
                return JsValue.Undefined;
            }));
        }

        return console;
    }

    private static string Format(JintEngine engine, JsValue value)
    {
        if (value is not ObjectInstance || value.IsCallable())
        {
            return TypeConverter.ToString(value);
        }

        try
        {
            return JsValueConverter.ToJson(engine, value)?.ToJsonString() ?? "undefined";
        }
        catch (JavaScriptException)
        {
            return "[object]";
        }
    }

    private static JsObject CreateAuth0(LoginSandbox sandbox, string domain, string? userId)
    {
        var engine = sandbox.Engine;
        var users = new JsObject(engine);
        users.FastSetDataProperty("updateAppMetadata", MetadataUpdater(sandbox, userId, "updateAppMetadata", sandbox.Outputs.AppMetadata));
        users.FastSetDataProperty("updateUserMetadata", MetadataUpdater(sandbox, userId, "updateUserMetadata", sandbox.Outputs.UserMetadata));

        var auth0 = new JsObject(engine);
        auth0.FastSetDataProperty("domain", domain);
        auth0.FastSetDataProperty("baseUrl", $"https://{domain}/api/v2");
        auth0.FastSetDataProperty("users", users);
        return auth0;
    }

    /// <summary>
    /// <c>auth0.users.updateAppMetadata(userId, metadata)</c>: a promise; the metadata becomes a top-level
    /// patch of the logging-in user. Any other user id is refused, so a rule cannot reach other users.
    /// </summary>
    private static ClrFunction MetadataUpdater(LoginSandbox sandbox, string? userId, string name, System.Text.Json.Nodes.JsonObject patch) =>
        new(sandbox.Engine, name, (_, arguments) =>
        {
            var engine = sandbox.Engine;
            var (promise, resolve, reject) = engine.Advanced.RegisterPromise();
            var requestedUser = arguments.Length > 0 ? TypeConverter.ToString(arguments[0]) : "";
            var metadata = arguments.Length > 1 ? JsValueConverter.ToJson(engine, arguments[1]) : null;
            if (userId is null || requestedUser != userId)
            {
                reject(new JavaScriptException(engine.Intrinsics.Error, $"auth0.users.{name} can only update the user who is logging in").Error);
            }
            else if (metadata is not System.Text.Json.Nodes.JsonObject metadataObject)
            {
                reject(new JavaScriptException(engine.Intrinsics.TypeError, $"auth0.users.{name} takes the metadata as an object").Error);
            }
            else
            {
                RuleOutputs.MergePatch(patch, metadataObject);
                resolve(JsValue.Undefined);
            }

            return promise;
        }, 2);
}
