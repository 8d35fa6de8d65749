using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>jsonwebtoken's checks of a verified token's registered claims, with its error names and messages.</summary>
internal static class JwtClaimChecks
{
    public static void Check(JintEngine engine, JsonObject payload, ObjectInstance? options, long now)
    {
        var tolerance = options?.Get("clockTolerance") is { } value && value.IsNumber() ? (long)value.AsNumber() : 0;
        if (!Flag(options, "ignoreNotBefore") && Seconds(payload, "nbf") is { } notBefore && notBefore > now + tolerance)
        {
            throw JwtErrors.Create(engine, "NotBeforeError", "jwt not active", "date", notBefore);
        }

        if (!Flag(options, "ignoreExpiration") && Seconds(payload, "exp") is { } expires && now >= expires + tolerance)
        {
            throw JwtErrors.Create(engine, "TokenExpiredError", "jwt expired", "expiredAt", expires);
        }

        if (Expected(options, "audience") is { } audiences)
        {
            // A missing or null audience matches no expected one, not even "" (as jsonwebtoken's ===).
            var actual = payload["aud"] is JsonArray list ? list.Select(item => item?.ToString()) : [payload["aud"]?.ToString()];
            if (!actual.Any(audience => audience is not null && audiences.Contains(audience)))
            {
                throw JwtErrors.Create(engine, "JsonWebTokenError", "jwt audience invalid. expected: " + string.Join(" or ", audiences));
            }
        }

        if (Expected(options, "issuer") is { } issuers && !issuers.Contains(payload["iss"]?.ToString()))
        {
            throw JwtErrors.Create(engine, "JsonWebTokenError", "jwt issuer invalid. expected: " + string.Join(",", issuers));
        }

        if (Expected(options, "subject") is [var subject] && payload["sub"]?.ToString() != subject)
        {
            throw JwtErrors.Create(engine, "JsonWebTokenError", "jwt subject invalid. expected: " + subject);
        }
    }

    private static bool Flag(ObjectInstance? options, string name) => options?.Get(name) is { } value && TypeConverter.ToBoolean(value);

    private static long? Seconds(JsonObject payload, string claim) =>
        payload[claim] is JsonValue value && value.TryGetValue<double>(out var seconds) ? (long)seconds : null;

    // jsonwebtoken checks a claim only when its option is truthy: "" checks nothing, [""] expects "".
    private static string[]? Expected(ObjectInstance? options, string name) => options?.Get(name) switch
    {
        JsArray list => list.Select(TypeConverter.ToString).ToArray(),
        { } value when value.IsString() && value.AsString().Length > 0 => [value.AsString()],
        _ => null,
    };
}
