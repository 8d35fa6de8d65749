using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using RulesMfa.Engine.Decisions;
using JintJsonSerializer = Jint.Native.Json.JsonSerializer;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// <c>JSON.stringify</c> with a length budget. Jint's serializer runs no statements, so a thousand references to
/// one megabyte string became a 2 GB document before any limit looked. Jint calls a replacer for every value it
/// writes (after <c>toJSON</c> and getters), so a replacer of ours counts what the document will hold and stops
/// the call once it would pass the budget; the rule's own replacer, if any, runs first.
/// </summary>
internal sealed class BoundedJson
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JintEngine, BoundedJson> PerEngine = new();

    private readonly JintEngine engine;
    private readonly ObjectInstance stringPrototype;
    private readonly ObjectInstance numberPrototype;

    // The prototypes are taken from the fresh engine, before a rule could replace the String or Number globals.
    private BoundedJson(JintEngine engine)
    {
        this.engine = engine;
        stringPrototype = engine.Global.Get("String").AsObject().Get("prototype").AsObject();
        numberPrototype = engine.Global.Get("Number").AsObject().Get("prototype").AsObject();
    }

    /// <summary>Prepares the writer of a fresh engine; call before any rule runs in it.</summary>
    public static void Attach(JintEngine engine) => PerEngine.AddOrUpdate(engine, new BoundedJson(engine));

    public static BoundedJson For(JintEngine engine) =>
        PerEngine.TryGetValue(engine, out var writer) ? writer : throw new InvalidOperationException("The engine has no bounded JSON writer.");

    private const int KeyOverhead = 4; // an object's key: quotes, colon, comma

    /// <summary>
    /// Serializes as <c>JSON.stringify(value, replacer, space)</c> does, but throws what <paramref name="refuse"/>
    /// makes (a CLR exception, which the rule cannot catch) once the document would pass <paramref name="maxLength"/> characters.
    /// </summary>
    public JsValue Stringify(JsValue value, JsValue replacer, JsValue space, long maxLength, Func<SandboxLimitException> refuse)
    {
        var gap = GapLength(space);
        var allowedKeys = replacer is ObjectInstance list && list.IsArray() ? PropertyList(list) : null;
        var ruleReplacer = replacer.IsCallable() ? replacer : null;
        var depths = new Dictionary<ObjectInstance, int>(ReferenceEqualityComparer.Instance);
        long length = 0;

        var counter = new ClrFunction(engine, "", (holder, arguments) =>
        {
            var key = arguments.Length > 0 ? arguments[0] : JsValue.Undefined;
            var item = arguments.Length > 1 ? arguments[1] : JsValue.Undefined;
            var holderObject = holder as ObjectInstance;
            var depth = holderObject is not null && depths.TryGetValue(holderObject, out var holderDepth) ? holderDepth + 1 : 0;
            if (ruleReplacer is not null)
            {
                item = engine.Call(ruleReplacer, holder, [key, item]);
            }
            else if (allowedKeys is not null && item is ObjectInstance listed && !listed.IsArray() && !listed.IsCallable()
                && !IsStringObject(listed) && !IsNumberObject(listed))
            {
                item = OnlyListed(listed, allowedKeys);
            }

            var separator = holderObject is not null && holderObject.IsArray() ? 1 : TypeConverter.ToString(key).Length + KeyOverhead;
            length += separator + (gap * (long)depth) + (gap > 0 ? 1 : 0) + ValueLength(item);
            if (length > maxLength)
            {
                throw refuse();
            }

            if (item is ObjectInstance nested && !nested.IsCallable())
            {
                depths[nested] = depth;
            }

            return item;
        }, 2);

        return new JintJsonSerializer(engine).Serialize(value, counter, space);
    }

    private long ValueLength(JsValue item) => item switch
    {
        JsString text => text.Length + 2L,
        ObjectInstance when item.IsCallable() => 0,
        ObjectInstance wrapper when IsStringObject(wrapper) => (long)TypeConverter.ToLength(wrapper.Get("length")) + 2,
        ObjectInstance => 2,
        _ when item.IsNumber() => TypeConverter.ToString(item).Length,
        _ => 5,
    };

    private bool IsStringObject(ObjectInstance value) => value.Prototype == stringPrototype;

    private bool IsNumberObject(ObjectInstance value) => value.Prototype == numberPrototype;

    /// <summary>The indentation per level that <c>space</c> asks for: a number up to 10, or a string's first 10 characters.</summary>
    private int GapLength(JsValue space)
    {
        if (space.IsNumber() || (space is ObjectInstance number && IsNumberObject(number)))
        {
            return (int)Math.Clamp(TypeConverter.ToIntegerOrInfinity(space), 0, 10);
        }

        return space.IsString() || (space is ObjectInstance text && IsStringObject(text)) ? Math.Min(10, TypeConverter.ToString(space).Length) : 0;
    }

    /// <summary>
    /// An array replacer writes only the listed keys, in the list's order: a copy holding just those (with the
    /// values read as the serializer would) lets our function replacer keep that meaning.
    /// </summary>
    private ListedCopy OnlyListed(ObjectInstance source, List<string> keys)
    {
        var copy = new ListedCopy(engine);
        foreach (var key in keys)
        {
            var value = source.Get(key);
            if (!value.IsUndefined())
            {
                copy.Add(key, value);
            }
        }

        return copy;
    }

    /// <summary>
    /// The copy an array replacer leaves, whose keys come in the list's order: an ordinary object would list its
    /// integer keys first (<c>['a', 2]</c> must write <c>a</c> before <c>2</c>). No rule code ever sees it.
    /// </summary>
    private sealed class ListedCopy(JintEngine engine) : ObjectInstance(engine)
    {
        private readonly List<JsValue> order = [];

        public void Add(string key, JsValue value)
        {
            FastSetDataProperty(key, value);
            order.Add(key);
        }

        public override List<JsValue> GetOwnPropertyKeys(Types types = Types.String | Types.Symbol) =>
            (types & Types.String) != 0 ? [.. order] : [];
    }

    /// <summary>An array replacer's keys (strings and numbers) in order, without repeats, as the serializer takes them.</summary>
    private List<string> PropertyList(ObjectInstance list)
    {
        var keys = new List<string>();
        var count = TypeConverter.ToLength(list.Get("length"));
        for (var index = 0UL; index < count; index++)
        {
            var element = list.Get(index);
            if (element.IsString() || element.IsNumber() || (element is ObjectInstance wrapper && (IsStringObject(wrapper) || IsNumberObject(wrapper))))
            {
                var key = TypeConverter.ToString(element);
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }

        return keys;
    }
}
