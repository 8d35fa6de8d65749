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
    private readonly List<string> requestedAfterSeal = [];
    private bool isSealed;

    private ModuleRegistry(JintEngine engine, RuleModuleFolder folder)
    {
        this.engine = engine;
        this.folder = folder;
        resolver = new ModuleResolver(folder);
        Require = RequireFunction(requiringFile: null);
    }

    /// <summary>The <c>require</c> rules call.</summary>
    public ClrFunction Require { get; }

    /// <summary>What rules required that loaded something new after <see cref="Seal"/>: names a reused engine can load when it is prepared.</summary>
    public IReadOnlyList<string> RequestedAfterSeal => requestedAfterSeal;

    /// <summary>The exports of every module loaded so far, to freeze them in a reused engine.</summary>
    public IEnumerable<JsValue> LoadedExports => modules.Values.Select(module => module.Get("exports")).Concat(builtins.Values);

    public static ModuleRegistry For(JintEngine engine) => Registries.GetValue(engine, static target => new ModuleRegistry(target, RuleModuleFolder.Default));

    /// <summary>Loads a module as a rule's <c>require(request)</c> does; throws a JavaScript error when it is not available.</summary>
    public JsValue Load(string request) => Load(request, requiringFile: null);

    /// <summary>The exports of a package's main module when it is loaded, or null.</summary>
    public JsValue? LoadedMain(string package) =>
        resolver.ResolvePackage(new ModuleSpecifier(package, null)) is { } path && modules.TryGetValue(path, out var module) ? module.Get("exports") : null;

    /// <summary>
    /// Ends the preparation of a reused engine: its modules are loaded and about to be frozen. A module loaded
    /// after this (a computed or run-time <c>require</c>, or a module's own lazy one) is not frozen, so it marks
    /// the engine's <see cref="HiddenState"/> changed: the engine serves no later login.
    /// </summary>
    public void Seal() => isSealed = true;

    private ClrFunction RequireFunction(string? requiringFile) =>
        new(engine, "require", (_, arguments) =>
        {
            var request = arguments.Length > 0 && arguments[0].IsString() ? arguments[0].AsString()
                : throw new JavaScriptException(engine.Intrinsics.TypeError, "require needs a module name as a string");
            return Load(request, requiringFile);
        }, 1);

    private JsValue Load(string request, string? requiringFile)
    {
        var loadedBefore = modules.Count + builtins.Count;
        var exports = LoadOnce(request, requiringFile);
        if (isSealed && requiringFile is null && modules.Count + builtins.Count > loadedBefore)
        {
            requestedAfterSeal.Add(request);
        }

        return exports;
    }

    private JsValue LoadOnce(string request, string? requiringFile)
    {
        var specifier = ModuleSpecifier.Parse(request);
        var builtinName = specifier is { Subpath: null } ? specifier.Package : request;
        if (BuiltinModules.Has(builtinName))
        {
            if (!builtins.TryGetValue(builtinName, out var builtin))
            {
                MarkChangedAfterSeal();
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

        if (modules.TryGetValue(path, out var loaded))
        {
            return loaded.Get("exports");
        }

        MarkChangedAfterSeal();
        return Evaluate(path);
    }

    // Before the module runs: a module that throws half-way has changed the engine too.
    private void MarkChangedAfterSeal()
    {
        if (isSealed)
        {
            HiddenState.For(engine).Changed = true;
        }
    }

    private JsValue Evaluate(string path)
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

        var name = Path.GetRelativePath(folder.NodeModules, path).Replace(Path.DirectorySeparatorChar, '/');
        var script = ModuleScripts.Get(path, $"node_modules/{name}");
        var function = engine.Evaluate(in script);
        try
        {
            engine.Call(function, JsValue.Undefined,
            [
                exports, RequireFunction(path), module, path, Path.GetDirectoryName(path)!, NodeBinary.For(engine).Uint8Array, NodeBinary.For(engine).Buffer,
            ]);
        }
        catch
        {
            // As Node: a module that threw while loading is not cached, so requiring it again throws again instead of
            // handing out its half-made exports.
            modules.Remove(path);
            throw;
        }

        var result = ModuleStateChangers.Watch(engine, name, module.Get("exports"));
        module.Set("exports", result);
        return result;
    }
}
