using System.Text.Encodings.Web;
using System.Text.Json;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox.NodeCompat;

/// <summary>
/// Node's <c>ERR_INVALID_ARG_TYPE</c>: a <c>TypeError</c> with that <c>code</c>, naming the argument and what it must
/// be, then what it received as Node 20's <c>determineSpecificType</c> describes it.
/// </summary>
internal static class NodeInvalidArgType
{
    private static readonly JsonSerializerOptions JsonText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="expected">What the argument must be, as Node words it: "of type string or an instance of Buffer".</param>
    /// <param name="received">The argument; null for the messages that, as Node's <c>timingSafeEqual</c>, do not say what they received.</param>
    public static JavaScriptException Create(JintEngine engine, string argument, string expected, JsValue? received)
    {
        var message = $"The \"{argument}\" argument must be {expected}." + (received is null ? "" : " Received " + Describe(received));
        var error = (ObjectInstance)engine.Construct(engine.Intrinsics.TypeError, message);
        error.Set("code", "ERR_INVALID_ARG_TYPE");
        return new JavaScriptException(error);
    }

    private static string Describe(JsValue value)
    {
        switch (value.Type)
        {
            case Types.Null:
                return "null";
            case Types.Undefined:
                return "undefined";
            case Types.BigInt:
                return $"type bigint ({TypeConverter.ToString(value)}n)";
            case Types.Number:
                var number = value.AsNumber();
                return $"type number ({(number == 0 && double.IsNegative(number) ? "-0" : TypeConverter.ToString(value))})";
            case Types.Boolean:
                return $"type boolean ({TypeConverter.ToString(value)})";
            case Types.Symbol:
                return $"type symbol ({value})";
            case Types.String:
                var text = value.AsString();
                text = text.Length > 28 ? text[..25] + "..." : text;
                return $"type string ({(text.Contains('\'') ? JsonSerializer.Serialize(text, JsonText) : $"'{text}'")})";
        }

        var instance = (ObjectInstance)value;
        if (instance.IsCallable())
        {
            return "function " + TypeConverter.ToString(instance.Get("name"));
        }

        // Node inspects an object without a named constructor; only the null-prototype objects are spelled as it does.
        return instance.Get("constructor") is ObjectInstance constructor && constructor.HasProperty("name")
            ? "an instance of " + TypeConverter.ToString(constructor.Get("name"))
            : instance.Prototype is not null ? "[Object]"
            : instance.GetOwnPropertyKeys().Count == 0 ? "[Object: null prototype] {}" : "[Object: null prototype]";
    }
}
