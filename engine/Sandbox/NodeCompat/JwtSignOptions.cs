using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// jsonwebtoken 9's schema for <c>sign</c>'s options, with its messages: every own enumerable key must be one it knows
/// and hold what that option takes (an option given as <c>undefined</c> is refused too), checked in key order.
/// Options it knows but RulesMfa ignores (<c>header</c>, <c>encoding</c>, <c>mutatePayload</c>, ...) pass unread.
/// </summary>
internal static class JwtSignOptions
{
    /// <summary>The algorithms jsonwebtoken signs with on Node 20; RulesMfa signs with fewer, and says so after this schema.</summary>
    private static readonly string[] NodeAlgorithms =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "none"];

    private static readonly Dictionary<string, (Func<JintEngine, JsValue, bool> IsValid, string Message)> Schema = new()
    {
        ["expiresIn"] = ((_, value) => JwtTimespan.IsWholeNumberOrText(value), "\"expiresIn\" should be a number of seconds or string representing a timespan"),
        ["notBefore"] = ((_, value) => JwtTimespan.IsWholeNumberOrText(value), "\"notBefore\" should be a number of seconds or string representing a timespan"),
        ["audience"] = ((_, value) => value.IsString() || value.IsArray(), "\"audience\" must be a string or array"),
        ["algorithm"] = ((_, value) => value.IsString() && NodeAlgorithms.Contains(value.AsString()), "\"algorithm\" must be a valid string enum value"),
        ["header"] = (IsPlainObject, "\"header\" must be an object"),
        ["encoding"] = ((_, value) => value.IsString(), "\"encoding\" must be a string"),
        ["issuer"] = ((_, value) => value.IsString(), "\"issuer\" must be a string"),
        ["subject"] = ((_, value) => value.IsString(), "\"subject\" must be a string"),
        ["jwtid"] = ((_, value) => value.IsString(), "\"jwtid\" must be a string"),
        ["noTimestamp"] = ((_, value) => value.IsBoolean(), "\"noTimestamp\" must be a boolean"),
        ["keyid"] = ((_, value) => value.IsString(), "\"keyid\" must be a string"),
        ["mutatePayload"] = ((_, value) => value.IsBoolean(), "\"mutatePayload\" must be a boolean"),
        ["allowInsecureKeySizes"] = ((_, value) => value.IsBoolean(), "\"allowInsecureKeySizes\" must be a boolean"),
        ["allowInvalidAsymmetricKeyTypes"] = ((_, value) => value.IsBoolean(), "\"allowInvalidAsymmetricKeyTypes\" must be a boolean"),
    };

    /// <summary>Checks <paramref name="options"/> (sign's third argument; a falsy one is no options) and gives it as an object, or null.</summary>
    public static ObjectInstance? Validate(JintEngine engine, JsValue options)
    {
        if (!TypeConverter.ToBoolean(options))
        {
            return null;
        }

        if (!IsPlainObject(engine, options))
        {
            throw JwtErrors.Create(engine, "Error", "Expected \"options\" to be a plain object.");
        }

        var plain = (ObjectInstance)options;
        foreach (var key in plain.GetOwnPropertyKeys(Types.String))
        {
            if (plain.GetOwnProperty(key) is not { Enumerable: true })
            {
                continue;
            }

            var name = key.AsString();
            if (!Schema.TryGetValue(name, out var option))
            {
                throw JwtErrors.Create(engine, "Error", $"\"{name}\" is not allowed in \"options\"");
            }

            if (!option.IsValid(engine, plain.Get(key)))
            {
                throw JwtErrors.Create(engine, "Error", option.Message);
            }
        }

        return plain;
    }

    /// <summary>lodash's <c>isPlainObject</c>: an object whose prototype is <c>Object.prototype</c> or null.</summary>
    private static bool IsPlainObject(JintEngine engine, JsValue value) =>
        value is ObjectInstance obj && !obj.IsArray()
        && (obj.Prototype is null || ReferenceEquals(obj.Prototype, engine.Intrinsics.Object.PrototypeObject));
}
