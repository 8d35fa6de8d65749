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
    /// <summary>Per package, the functions that change hidden state when given at least so many arguments (fewer only read it).</summary>
    private static readonly Dictionary<string, (string Name, int Arguments)[]> Changers = new(StringComparer.Ordinal)
    {
        ["moment"] = [("locale", 1), ("defineLocale", 0), ("updateLocale", 0), ("relativeTimeThreshold", 2), ("relativeTimeRounding", 1)],
        ["lodash"] = [("uniqueId", 0)],
        ["uuid"] = [("v1", 0)],
    };

    public static void Watch(JintEngine engine, string package, JsValue exports)
    {
        if (!Changers.TryGetValue(package, out var names) || exports is not ObjectInstance module)
        {
            return;
        }

        foreach (var (name, changingArguments) in names)
        {
            var original = module.Get(name);
            if (!original.IsCallable() || !module.GetOwnProperty(name).Writable)
            {
                continue;
            }

            module.Set(name, new ClrFunction(engine, name, (self, arguments) =>
            {
                HiddenState.For(engine).Changed |= arguments.Length >= changingArguments;
                return engine.Call(original, self, arguments);
            }, (int)Jint.Runtime.TypeConverter.ToNumber(original.AsObject().Get("length"))));
        }
    }
}
