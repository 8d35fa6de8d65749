using Acornima.Ast;
using Jint.Native;
using Jint.Native.Object;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// Objects a package keeps in its closures and hands out through its functions, where freezing its exports
/// cannot reach: the prototypes of its internal classes, frozen with the exports, and its mutable singletons,
/// which a login may not change (<see cref="HiddenState"/> watches them). Found by calling the package the way a
/// rule can, once per engine when it is prepared. A package added to engine/modules needs the same review.
/// </summary>
internal static class ModuleHiddenObjects
{
    private static readonly Dictionary<string, Prepared<Script>> Finders = new(StringComparer.Ordinal)
    {
        // The wrappers of _(value) and of its lazy chains; memoize's Hash; the Stack and ListCache customizers receive.
        ["lodash"] = Finder(
            """
            (function (_) {
              let stack;
              _.isEqualWith({ a: 1 }, { a: 1 }, function () { stack = stack || arguments[5]; });
              const prototypes = [_([]), _([1, 2]).map(x => x).__wrapped__, _.memoize(x => x).cache.__data__.hash, stack, stack.__data__];
              return [prototypes.map(Object.getPrototypeOf), []];
            })
            """),
        // Every moment and duration holds the global locale (moment()._locale), so it is watched. moment fills caches
        // on it the first time it formats or parses some tokens: filled here, so that the logins doing so keep their engine.
        ["moment"] = Finder(
            """
            (function (moment) {
              const locale = moment.localeData();
              ['l', 'll', 'lll', 'llll'].forEach(format => locale.longDateFormat(format));
              [['December', 'MMMM'], ['Dec', 'MMM'], ['Saturday', 'dddd'], ['Sat', 'ddd'], ['Sa', 'dd'], ['AD', 'N'], ['Anno Domini', 'NNNN'], ['AD 1', 'N y']]
                .forEach(([text, format]) => { moment(text, format); moment(text, format, true); });
              return [[Object.getPrototypeOf(locale)], [locale]];
            })
            """),
    };

    /// <summary>For each package with a finder whose main module the engine loaded: the objects to freeze and the objects to watch.</summary>
    public static (List<JsValue> Freeze, List<ObjectInstance> Watch) Find(JintEngine engine, ModuleRegistry registry)
    {
        var freeze = new List<JsValue>();
        var watch = new List<ObjectInstance>();
        foreach (var (package, finder) in Finders)
        {
            if (registry.LoadedMain(package) is not { } exports)
            {
                continue;
            }

            var found = engine.Call(engine.Evaluate(in finder), JsValue.Undefined, [exports]).AsArray();
            freeze.AddRange(found[0].AsArray());
            watch.AddRange(found[1].AsArray().Select(value => value.AsObject()));
        }

        return (freeze, watch);
    }

    private static Prepared<Script> Finder(string source) => JintEngine.PrepareScript(source, "rulesmfa-module-hidden-objects");
}
