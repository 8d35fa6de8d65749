using System.Collections.Concurrent;
using Acornima.Ast;

namespace RulesMfa.Engine.Sandbox.Modules;

/// <summary>
/// Module files parsed once per process, wrapped as CommonJS functions. Shared by every engine, as prepared rules are.
/// </summary>
internal static class ModuleScripts
{
    /// <summary>The wrapper's parameters; <c>Uint8Array</c> and <c>Buffer</c> are the size-capped ones the sandbox gives modules.</summary>
    public const string Parameters = "exports, require, module, __filename, __dirname, Uint8Array, Buffer";

    private static readonly ScriptPreparationOptions Preparation = new() { ParsingOptions = InterpretedRegexes.Parsing };

    private static readonly ConcurrentDictionary<string, Prepared<Script>> Scripts = new(StringComparer.Ordinal);

    /// <summary>
    /// The module at <paramref name="path"/>, named <paramref name="name"/> in its stack frames: a rule can read a
    /// stack trace, so it names the file from <c>node_modules/</c> on, never by the folder the server runs from.
    /// </summary>
    public static Prepared<Script> Get(string path, string name) => Scripts.GetOrAdd(path, static (file, source) =>
        JintEngine.PrepareScript($"(function ({Parameters}) {{{File.ReadAllText(file)}\n}})", source, strict: false, Preparation), name);
}
