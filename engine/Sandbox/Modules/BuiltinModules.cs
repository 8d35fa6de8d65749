using Jint.Native;
using RulesMfa.Engine.Sandbox.NodeCompat;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>The Node core modules the sandbox implements itself (on .NET), by the names <c>require</c> takes.</summary>
internal static class BuiltinModules
{
    private static readonly Dictionary<string, Func<JintEngine, JsValue>> Factories = new(StringComparer.Ordinal)
    {
        ["crypto"] = NodeCrypto.Create,
        ["buffer"] = engine => BufferModule(engine),
    };

    public static IEnumerable<string> Names => Factories.Keys;

    public static bool Has(string name) => Factories.ContainsKey(name);

    public static JsValue Create(JintEngine engine, string name) => Factories[name](engine);

    private static JsObject BufferModule(JintEngine engine)
    {
        var module = new JsObject(engine);
        module.FastSetDataProperty("Buffer", NodeBinary.For(engine).Buffer);
        return module;
    }
}
