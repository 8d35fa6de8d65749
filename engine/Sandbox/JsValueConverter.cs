using System.Text.Json;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Runtime.Descriptors;
using RulesMfa.Engine.Context;

namespace RulesMfa.Engine.Sandbox;

/// <summary>Moves data across the sandbox wall as plain values: JSON in, JSON out; never a wrapped .NET object.</summary>
internal static class JsValueConverter
{
    public static JsValue ToJs(JintEngine engine, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                return ToJsObject(engine, obj);
            case JsonArray array:
                var items = new JsValue[array.Count];
                for (var index = 0; index < items.Length; index++)
                {
                    items[index] = ToJs(engine, array[index]);
                }

                return new JsArray(engine, items);
            case JsonValue value when value.TryGetValue<JsonElement>(out var element):
                // Parsed JSON keeps its values as elements: reading them directly skips JsonValue's conversions.
                return element.ValueKind switch
                {
                    JsonValueKind.String => JsString.Create(element.GetString()!),
                    JsonValueKind.Number => JsNumber.Create(element.GetDouble()),
                    JsonValueKind.True => JsBoolean.True,
                    JsonValueKind.False => JsBoolean.False,
                    _ => JsValue.Null,
                };
            case JsonValue value:
                return ToJsPrimitive(value);
            default:
                return JsValue.Null;
        }
    }

    /// <summary>
    /// A rule's input (<c>user</c>, <c>context</c>, <c>event</c>) as a plain object whose object and array values are
    /// converted when a rule first reads them (Jint's lazy properties, as its own builtins are), so the parts of a login
    /// no rule reads are never built. The JSON must not change while the engine can still read it.
    /// </summary>
    public static JsObject ToJsLazily(JintEngine engine, JsonObject obj)
    {
        var result = new JsObject(engine);
        foreach (var (name, value) in obj)
        {
            SetLazily(engine, result, name, value);
        }

        return result;
    }

    /// <summary>
    /// Sets <paramref name="target"/>'s property to the value, converted when first read if it is an object, an array
    /// or a string (whose text the parsed JSON decodes only then): most of a login's strings are never read.
    /// </summary>
    public static void SetLazily(JintEngine engine, JsObject target, string name, JsonNode? value)
    {
        if (value is JsonObject or JsonArray || (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String))
        {
            target.FastSetProperty(name, PropertyDescriptor.CreateLazy((Engine: engine, Node: value), static state => ToJsValueLazily(state.Engine, state.Node)));
        }
        else
        {
            target.FastSetDataProperty(name, ToJs(engine, value));
        }
    }

    /// <summary>A value of a rule's input: an object or array as <see cref="ToJsLazily(JintEngine, JsonObject)"/> converts one, anything else as <see cref="ToJs"/>.</summary>
    public static JsValue ToJsValueLazily(JintEngine engine, JsonNode? node) => node switch
    {
        JsonObject obj => ToJsLazily(engine, obj),
        JsonArray array => LazyArray(engine, array),
        _ => ToJs(engine, node),
    };

    private static JsArray LazyArray(JintEngine engine, JsonArray array)
    {
        var items = new JsValue[array.Count];
        for (var index = 0; index < items.Length; index++)
        {
            items[index] = array[index] is JsonObject item ? ToJsLazily(engine, item) : ToJs(engine, array[index]);
        }

        return new JsArray(engine, items);
    }

    public static JsObject ToJsObject(JintEngine engine, JsonObject obj)
    {
        var result = new JsObject(engine);
        foreach (var (name, value) in obj)
        {
            result.FastSetDataProperty(name, ToJs(engine, value));
        }

        return result;
    }

    /// <summary>
    /// The value as <c>JSON.stringify</c> would write it (so <c>toJSON</c>, dates and getters behave as in
    /// JavaScript), or null for <c>undefined</c> and functions. Cycles and BigInts throw a JavaScript TypeError;
    /// a value far larger than the output limit, or nested deeper than <see cref="JsonNesting.MaxLevels"/>, throws a
    /// <see cref="SandboxLimitException"/> naming <paramref name="output"/> (the exact size and depth of each output are
    /// checked after the rule).
    /// </summary>
    public static JsonNode? ToJson(JintEngine engine, JsValue value, SandboxLimits limits, string output)
    {
        if (PlainJson.TryConvert(engine, value, out var plain))
        {
            return plain;
        }

        var json = BoundedJson.For(engine).Stringify(value, JsValue.Undefined, JsValue.Undefined, limits.OutputJsonBudget,
            () => new SandboxLimitException(Decisions.SandboxLimit.OutputSize, $"made the {output} larger than {limits.MaxOutputBytes:N0} bytes"));
        if (!json.IsString())
        {
            return null;
        }

        return JsonNesting.TryParse(json.AsString(), out var node) ? node
            : throw new SandboxLimitException(Decisions.SandboxLimit.OutputDepth, $"made the {output} deeper than {JsonNesting.MaxLevels} levels");
    }

    private static JsValue ToJsPrimitive(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => JsString.Create(value.GetValue<string>()),
        JsonValueKind.Number => JsNumber.Create(value.TryGetValue<double>(out var number) ? number : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)),
        JsonValueKind.True => JsBoolean.True,
        JsonValueKind.False => JsBoolean.False,
        _ => JsValue.Null,
    };
}
