using System.Runtime.CompilerServices;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;
using RulesMfa.Engine.Sandbox.NodeCompat;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// One engine's <c>require</c>: each module loads once per engine and is cached there, as in Node. Rules may
/// require the allowed packages and the sandbox's built-in modules; a module may also require files of its own
/// package and its dependencies. Anything else throws a JavaScript <c>Error</c> the rule can catch.
/// </summary>
internal sealed class ModuleRegistry
{
    private static readonly ConditionalWeakTable<JintEngine, ModuleRegistry> Registries = new();

    private readonly JintEngine engine;
    private readonly RuleModuleFolder folder;
    private readonly ModuleResolver resolver;
    private readonly Dictionary<string, ObjectInstance> modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsValue> builtins = new(StringComparer.Ordinal);

    private ModuleRegistry(JintEngine engine, RuleModuleFolder folder)
    {
        this.engine = engine;
        this.folder = folder;
        resolver = new ModuleResolver(folder);
        Require = RequireFunction(requiringFile: null);
    }

    /// <summary>The <c>require</c> rules call.</summary>
    public ClrFunction Require { get; }

    /// <summary>Set when a rule called a module function that changes the module's hidden state (see <see cref="ModuleStateChangers"/>).</summary>
    public bool ModuleStateChanged { get; set; }

    /// <summary>The exports of every module loaded so far, to freeze them in a reused engine.</summary>
    public IEnumerable<JsValue> LoadedExports => modules.Values.Select(module => module.Get("exports")).Concat(builtins.Values);

    public static ModuleRegistry For(JintEngine engine) => Registries.GetValue(engine, static target => new ModuleRegistry(target, RuleModuleFolder.Default));

    /// <summary>Loads a module as a rule's <c>require(request)</c> does; throws a JavaScript error when it is not available.</summary>
    public JsValue Load(string request) => Load(request, requiringFile: null);

    private ClrFunction RequireFunction(string? requiringFile) =>
        new(engine, "require", (_, arguments) =>
        {
            var request = arguments.Length > 0 && arguments[0].IsString() ? arguments[0].AsString()
                : throw new JavaScriptException(engine.Intrinsics.TypeError, "require needs a module name as a string");
            return Load(request, requiringFile);
        }, 1);

    private JsValue Load(string request, string? requiringFile)
    {
        var specifier = ModuleSpecifier.Parse(request);
        var builtinName = specifier is { Subpath: null } ? specifier.Package : request;
        if (BuiltinModules.Has(builtinName))
        {
            if (!builtins.TryGetValue(builtinName, out var builtin))
            {
                builtin = BuiltinModules.Create(engine, builtinName);
                builtins[builtinName] = builtin;
            }

            return builtin;
        }

        var path = requiringFile is not null ? resolver.ResolveFrom(requiringFile, request)
            : specifier is not null && folder.Packages.ContainsKey(specifier.Package) ? resolver.ResolvePackage(specifier)
            : null;
        if (path is null)
        {
            throw new JavaScriptException(engine.Intrinsics.Error, $"module '{request}' is not available in rules");
        }

        return modules.TryGetValue(path, out var loaded) ? loaded.Get("exports") : Evaluate(path, specifier?.Package);
    }

    private JsValue Evaluate(string path, string? package)
    {
        var module = new JsObject(engine);
        var exports = new JsObject(engine);
        module.FastSetDataProperty("exports", exports);
        module.FastSetDataProperty("id", path);
        modules[path] = module;
        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            module.Set("exports", new JsonParser(engine).Parse(File.ReadAllText(path)));
            return module.Get("exports");
        }

        var script = ModuleScripts.Get(path);
        var function = engine.Evaluate(in script);
        engine.Call(function, JsValue.Undefined,
        [
            exports, RequireFunction(path), module, path, Path.GetDirectoryName(path)!, NodeBinary.For(engine).Uint8Array, NodeBinary.For(engine).Buffer,
        ]);
        var result = module.Get("exports");
        if (package is not null)
        {
            ModuleStateChangers.Watch(engine, this, package, result);
        }

        return result;
    }
}
