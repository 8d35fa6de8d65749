using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// What <c>JSON.stringify</c> then parsing gives for the values most rule outputs are (a short string, a boolean, null,
/// or a plain object of those: <c>{ provider: 'any', allowRememberBrowser: false }</c>), built directly, because the
/// outputs are read after every rule and writing and parsing the text cost about 2.4 KB each time. Anything else is
/// left to the full conversion (<see cref="JsValueConverter.ToJson"/>): numbers (JavaScript and .NET write them
/// differently), nested values, accessors, an object other than a plain one or whose prototype is not the realm's
/// <c>Object.prototype</c>, a <c>toJSON</c> there, array-index keys (ordered first), characters either side escapes
/// differently, and anything longer than <see cref="MaxChars"/> characters (far inside the output budget).
/// </summary>
internal static class PlainJson
{
    private const int MaxChars = 256;

    public static bool TryConvert(JintEngine engine, JsValue value, out JsonNode? node)
    {
        var budget = MaxChars;
        if (value is not JsObject plain)
        {
            return TryPrimitive(value, ref budget, out node);
        }

        node = null;
        if (!IsPlain(engine, plain))
        {
            return false;
        }

        var result = new JsonObject();
        foreach (var key in plain.GetOwnPropertyKeys(Types.String))
        {
            var descriptor = plain.GetOwnProperty(key);
            if (!descriptor.Enumerable)
            {
                continue;
            }

            var name = key.AsString();
            if (descriptor.IsAccessorDescriptor() || name.Length == 0 || char.IsAsciiDigit(name[0]) || !Fits(name, ref budget))
            {
                return false;
            }

            if (descriptor.Value is var item && item.IsUndefined())
            {
                continue;
            }

            if (!TryPrimitive(item, ref budget, out var child))
            {
                return false;
            }

            result[name] = child;
        }

        node = result;
        return true;
    }

    /// <summary>
    /// Whether <see cref="TryConvert"/> would give exactly <paramref name="json"/> for <paramref name="value"/>, found
    /// without building anything: the same checks in the same order, each property compared with the entry at its place.
    /// </summary>
    public static bool WouldConvertTo(JintEngine engine, JsValue value, JsonObject json)
    {
        var budget = MaxChars;
        return WouldConvertTo(engine, value, json, ref budget);
    }

    /// <summary>
    /// Whether the full conversion (<see cref="JsValueConverter.ToJson"/>) would give a node equal to
    /// <paramref name="node"/>: for a value <see cref="TryConvert"/> takes, and for an array of its primitives (a
    /// claim's list of roles), found without building anything. False only means "convert it".
    /// </summary>
    public static bool WouldConvertToNode(JintEngine engine, JsValue value, JsonNode? node)
    {
        var budget = MaxChars;
        return value switch
        {
            JsArray array => node is JsonArray json && IsSameArray(engine, array, json, ref budget),
            JsObject => node is JsonObject json && WouldConvertTo(engine, value, json, ref budget),
            _ => IsSamePrimitive(value, node, ref budget),
        };
    }

    private static bool WouldConvertTo(JintEngine engine, JsValue value, JsonObject json, ref int budget)
    {
        if (value is not JsObject plain || !IsPlain(engine, plain))
        {
            return false;
        }

        var index = 0;
        foreach (var (key, descriptor) in plain.GetOwnProperties())
        {
            if (!key.IsString() || !descriptor.Enumerable)
            {
                continue;
            }

            var name = key.AsString();
            if (descriptor.IsAccessorDescriptor() || name.Length == 0 || char.IsAsciiDigit(name[0]) || !Fits(name, ref budget))
            {
                return false;
            }

            if (descriptor.Value is var item && item.IsUndefined())
            {
                continue;
            }

            if (index >= json.Count)
            {
                return false;
            }

            var (jsonName, jsonValue) = json.GetAt(index++);
            if (!string.Equals(jsonName, name, StringComparison.Ordinal) || !IsSamePrimitive(item, jsonValue, ref budget))
            {
                return false;
            }
        }

        return index == json.Count;
    }

    /// <summary>
    /// An array <c>JSON.stringify</c> writes element by element: the realm's plain array, no <c>toJSON</c> on it or its
    /// prototype chain, and every element an own data property (a hole would be read through the prototypes).
    /// </summary>
    private static bool IsSameArray(JintEngine engine, JsArray array, JsonArray json, ref int budget)
    {
        var arrayPrototype = engine.Intrinsics.Array.PrototypeObject;
        var objectPrototype = engine.Intrinsics.Object.PrototypeObject;
        if (array.GetType() != typeof(JsArray) || !ReferenceEquals(array.Prototype, arrayPrototype)
            || !ReferenceEquals(arrayPrototype.Prototype, objectPrototype) || array.Length != json.Count
            || HasToJson(array) || HasToJson(arrayPrototype) || HasToJson(objectPrototype))
        {
            return false;
        }

        for (var index = 0; index < json.Count; index++)
        {
            var element = array.GetOwnProperty(JsNumber.Create(index));
            if (element == PropertyDescriptor.Undefined || element.IsAccessorDescriptor() || !IsSamePrimitive(element.Value, json[index], ref budget))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasToJson(ObjectInstance item) => item.GetOwnProperty("toJSON") != PropertyDescriptor.Undefined;

    private static bool IsPlain(JintEngine engine, JsObject plain)
    {
        var objectPrototype = engine.Intrinsics.Object.PrototypeObject;
        return plain.GetType() == typeof(JsObject) && ReferenceEquals(plain.Prototype, objectPrototype) && !HasToJson(objectPrototype);
    }

    /// <summary>Whether <see cref="TryPrimitive"/> would give a node equal to <paramref name="node"/>.</summary>
    private static bool IsSamePrimitive(JsValue value, JsonNode? node, ref int budget)
    {
        if (value.IsNull())
        {
            return node is null;
        }

        if (value.IsBoolean())
        {
            return node is JsonValue boolean && boolean.TryGetValue<bool>(out var flag) && flag == value.AsBoolean();
        }

        return value.IsString() && value.AsString() is var text && Fits(text, ref budget)
            && node is JsonValue stored && stored.TryGetValue<string>(out var storedText) && string.Equals(storedText, text, StringComparison.Ordinal);
    }

    private static bool TryPrimitive(JsValue value, ref int budget, out JsonNode? node)
    {
        node = null;
        if (value.IsNull())
        {
            return true;
        }

        if (value.IsBoolean())
        {
            node = JsonValue.Create(value.AsBoolean());
            return true;
        }

        if (value.IsString() && value.AsString() is var text && Fits(text, ref budget))
        {
            node = JsonValue.Create(text);
            return true;
        }

        return false;
    }

    // Printable ASCII that neither JSON.stringify nor System.Text.Json's default encoder escapes.
    private static bool Fits(string text, ref int budget)
    {
        budget -= text.Length;
        if (budget < 0)
        {
            return false;
        }

        foreach (var character in text)
        {
            if (character is < ' ' or > '~' or '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`')
            {
                return false;
            }
        }

        return true;
    }
}
