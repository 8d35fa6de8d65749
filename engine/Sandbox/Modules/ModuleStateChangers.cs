using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Interop;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// Module functions that change state hidden in the module's closures, where freezing the exports cannot reach
/// (moment's global locale, lodash's id counter, uuid v1's clock sequence). A login that calls one gets its
/// engine discarded instead of reused, so the change cannot reach the next login.
/// </summary>
internal static class ModuleStateChangers
{
    private static readonly (string Name, int Arguments)[] Lodash = [("uniqueId", 0)];

    /// <summary>
    /// Per module file (its path in node_modules), the functions that change hidden state when given at least so many
    /// arguments (fewer only read it); "" is the module's exports itself. Every file that holds such state is listed,
    /// as a rule may require any file of an allowed package (lodash's builds and its modular <c>uniqueId</c>, and
    /// the file uuid's main module reads <c>v1</c> from through an accessor, which cannot be replaced).
    /// </summary>
    private static readonly Dictionary<string, (string Name, int Arguments)[]> Changers = new(StringComparer.Ordinal)
    {
        ["moment/moment.js"] = [("locale", 1), ("defineLocale", 0), ("updateLocale", 0), ("relativeTimeThreshold", 2), ("relativeTimeRounding", 1)],
        ["lodash/lodash.js"] = Lodash,
        ["lodash/lodash.min.js"] = Lodash,
        ["lodash/core.js"] = Lodash,
        ["lodash/core.min.js"] = Lodash,
        ["lodash/uniqueId.js"] = [("", 0)],
        ["uuid/dist/v1.js"] = [("default", 0)],
    };

    /// <summary>Returns the module's exports, with its state-changing functions (or itself, when it is one) wrapped.</summary>
    public static JsValue Watch(JintEngine engine, string file, JsValue exports)
    {
        if (!Changers.TryGetValue(file, out var names) || exports is not ObjectInstance module)
        {
            return exports;
        }

        if (names is [("", var changing)])
        {
            return module.IsCallable() ? Watched(engine, Path.GetFileNameWithoutExtension(file), module, changing) : exports;
        }

        foreach (var (name, changingArguments) in names)
        {
            var original = module.Get(name);
            if (original.IsCallable() && module.GetOwnProperty(name).Writable)
            {
                module.Set(name, Watched(engine, name, original, changingArguments));
            }
        }

        return exports;
    }

    private static ClrFunction Watched(JintEngine engine, string name, JsValue original, int changingArguments) =>
        new(engine, name, (self, arguments) =>
        {
            HiddenState.For(engine).Changed |= arguments.Length >= changingArguments;
            return engine.Call(original, self, arguments);
        }, (int)Jint.Runtime.TypeConverter.ToNumber(original.AsObject().Get("length")));
}
