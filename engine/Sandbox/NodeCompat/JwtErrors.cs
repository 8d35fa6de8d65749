using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>jsonwebtoken's errors: <c>Error</c>s named <c>JsonWebTokenError</c>, <c>TokenExpiredError</c> (with <c>expiredAt</c>) or <c>NotBeforeError</c> (with <c>date</c>).</summary>
internal static class JwtErrors
{
    public static JavaScriptException Create(JintEngine engine, string name, string message, string? dateProperty = null, long? epochSeconds = null)
    {
        var error = (ObjectInstance)engine.Construct(engine.Intrinsics.Error, message);
        error.Set("name", name);
        if (dateProperty is not null && epochSeconds is { } seconds)
        {
            error.Set(dateProperty, new JsDate(engine, DateTimeOffset.FromUnixTimeSeconds(seconds)));
        }

        return new JavaScriptException(error);
    }
}
