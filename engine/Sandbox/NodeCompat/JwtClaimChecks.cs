using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// jsonwebtoken's checks of a verified token's registered claims, with its error names and messages. As its verify.js,
/// claims are compared with <c>===</c> (a numeric <c>aud</c> is not its string) or, for an expected audience that is a
/// RegExp, by its <c>test</c>; a check runs only when its option is truthy.
/// </summary>
internal static class JwtClaimChecks
{
    public static void Check(JintEngine engine, JsonObject payload, ObjectInstance? options, long now)
    {
        var tolerance = options?.Get("clockTolerance") ?? JsValue.Undefined;
        if (!Flag(options, "ignoreNotBefore") && Seconds(payload, "nbf") is { } notBefore && notBefore > PlusTolerance(now, tolerance))
        {
            throw JwtErrors.Create(engine, "NotBeforeError", "jwt not active", "date", notBefore);
        }

        if (!Flag(options, "ignoreExpiration") && Seconds(payload, "exp") is { } expires && now >= PlusTolerance(expires, tolerance))
        {
            throw JwtErrors.Create(engine, "TokenExpiredError", "jwt expired", "expiredAt", expires);
        }

        if (Truthy(options, "audience") is { } audience)
        {
            var expected = audience is JsArray audiences ? audiences.ToArray() : [audience];
            var actual = Claim(engine, payload, "aud");
            var targets = actual is JsArray list ? list.ToArray() : [actual];
            if (!targets.Any(target => expected.Any(candidate => Matches(engine, candidate, target))))
            {
                // Array.prototype.join: null and undefined are empty.
                var names = expected.Select(candidate => candidate.IsNull() || candidate.IsUndefined() ? "" : TypeConverter.ToString(candidate));
                throw JwtErrors.Create(engine, "JsonWebTokenError", "jwt audience invalid. expected: " + string.Join(" or ", names));
            }
        }

        if (Truthy(options, "issuer") is { } issuer)
        {
            var actual = Claim(engine, payload, "iss");
            var invalid = issuer.IsString() ? !StrictlyEqual(actual, issuer)
                : issuer is JsArray issuers && !issuers.Any(candidate => StrictlyEqual(candidate, actual));
            if (invalid)
            {
                throw JwtErrors.Create(engine, "JsonWebTokenError", "jwt issuer invalid. expected: " + TypeConverter.ToString(issuer));
            }
        }

        if (Truthy(options, "subject") is { } subject && !StrictlyEqual(Claim(engine, payload, "sub"), subject))
        {
            throw JwtErrors.Create(engine, "JsonWebTokenError", "jwt subject invalid. expected: " + TypeConverter.ToString(subject));
        }
    }

    /// <summary>
    /// verify.js's <c>seconds + (options.clockTolerance || 0)</c> with JavaScript's <c>+</c>, as the number its comparison
    /// reads: a falsy tolerance (NaN too) adds nothing, and a string one is appended to the seconds' digits.
    /// </summary>
    private static double PlusTolerance(double seconds, JsValue tolerance)
    {
        if (!TypeConverter.ToBoolean(tolerance))
        {
            return seconds;
        }

        var primitive = TypeConverter.ToPrimitive(tolerance);
        return primitive.IsString() ? TypeConverter.ToNumber(TypeConverter.ToString(seconds) + primitive.AsString()) : seconds + TypeConverter.ToNumber(primitive);
    }

    private static bool Flag(ObjectInstance? options, string name) => options?.Get(name) is { } value && TypeConverter.ToBoolean(value);

    private static JsValue? Truthy(ObjectInstance? options, string name) => options?.Get(name) is { } value && TypeConverter.ToBoolean(value) ? value : null;

    /// <summary>A time claim as the JavaScript number it is: a <c>long</c> would overflow on one signed with a huge span.</summary>
    private static double? Seconds(JsonObject payload, string claim) =>
        payload[claim] is JsonValue value && value.TryGetValue<double>(out var seconds) ? seconds : null;

    /// <summary>A claim as the rule would read it from the payload: undefined when missing.</summary>
    private static JsValue Claim(JintEngine engine, JsonObject payload, string name) =>
        payload.TryGetPropertyValue(name, out var node) ? JsValueConverter.ToJs(engine, node) : JsValue.Undefined;

    private static bool Matches(JintEngine engine, JsValue expected, JsValue target) => expected.IsRegExp()
        ? TypeConverter.ToBoolean(engine.Call(((ObjectInstance)expected).Get("test"), expected, [target]))
        : StrictlyEqual(expected, target);

    /// <summary>JavaScript's <c>===</c>: a claim's value is a fresh copy, so it is never the same object as an option's.</summary>
    private static bool StrictlyEqual(JsValue left, JsValue right) => left.Type == right.Type && left.Type switch
    {
        Types.Undefined or Types.Null => true,
        Types.Number => left.AsNumber() == right.AsNumber(),
        Types.String => left.AsString() == right.AsString(),
        Types.Boolean => left.AsBoolean() == right.AsBoolean(),
        _ => ReferenceEquals(left, right) || (left is not ObjectInstance && left.Equals(right)),
    };
}
