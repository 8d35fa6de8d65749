using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>jsonwebtoken's errors: <c>Error</c>s named <c>JsonWebTokenError</c>, <c>TokenExpiredError</c> (with <c>expiredAt</c>) or <c>NotBeforeError</c> (with <c>date</c>).</summary>
internal static class JwtErrors
{
    public static JavaScriptException Create(JintEngine engine, string name, string message, string? dateProperty = null, double? epochSeconds = null)
    {
        var error = (ObjectInstance)engine.Construct(engine.Intrinsics.Error, message);
        error.Set("name", name);
        if (dateProperty is not null && epochSeconds is { } seconds)
        {
            // new Date(seconds * 1000), clipped as JavaScript does: beyond ±8.64e15 ms an Invalid Date, as in Node.
            var milliseconds = seconds * 1000;
            error.Set(dateProperty, new JsDate(engine, Math.Abs(milliseconds) <= 8.64e15 ? (long)milliseconds : long.MaxValue));
        }

        return new JavaScriptException(error);
    }
}
