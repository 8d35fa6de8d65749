using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Acornima;

namespace RulesMfa.Engine.Compilation;

/// <summary>
/// Parses and validates rules. Parsed scripts are cached by the hash of their text (and form), so a rule
/// saved once and run on every login is parsed once. Thread-safe.
/// </summary>
public sealed class RuleCompiler(int cacheCapacity = 4096)
{
    private static readonly ScriptPreparationOptions Preparation = new()
    {
        ParsingOptions = Sandbox.InterpretedRegexes.Parsing with { Tolerant = false },
    };

    private readonly ConcurrentDictionary<(RuleKind, string), (Prepared<Acornima.Ast.Script> Script, string? FunctionName)> cache = new();

    /// <summary>A process-wide compiler for callers without their own.</summary>
    public static RuleCompiler Shared { get; } = new();

    /// <summary>Compiles one rule.</summary>
    /// <exception cref="RuleCompilationException">A syntax error (1-based line and column) or a shape error.</exception>
    public CompiledRule Compile(RuleSource source)
    {
        var versionHash = VersionHashOf(source.Text);
        var (script, functionName) = cache.TryGetValue((source.Kind, versionHash), out var cached)
            ? cached
            : Prepare(source, versionHash);
        return new CompiledRule(source.Id, functionName ?? source.Id, source.Kind, versionHash, script);
    }

    /// <summary>Compiles rules in order; the first that fails stops with its exception.</summary>
    public IReadOnlyList<CompiledRule> CompileAll(IEnumerable<RuleSource> sources) => sources.Select(Compile).ToList();

    /// <summary><c>sha256:</c> and the lower-case hex SHA-256 of the rule's UTF-8 text.</summary>
    public static string VersionHashOf(string text) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private (Prepared<Acornima.Ast.Script>, string?) Prepare(RuleSource source, string versionHash)
    {
        var wrapper = RuleWrapper.For(source.Kind);
        Prepared<Acornima.Ast.Script> script;
        try
        {
            script = JintEngine.PrepareScript(wrapper.Wrap(source.Text), source.Id, strict: false, Preparation);
        }
        catch (ScriptPreparationException exception) when (exception.InnerException is ParseErrorException syntax)
        {
            if (source.Kind == RuleKind.Rule && RuleShape.ParsesAsStatements(source.Text) is { } statements)
            {
                // Valid JavaScript, just not a function expression: say that rather than "unexpected token".
                throw RuleShape.NotAFunction(source, statements);
            }

            var (line, column) = wrapper.Unwrap(syntax.LineNumber, syntax.Column + 1);
            throw new RuleCompilationException(source.Id, source.FilePath, line, column, syntax.Description ?? syntax.Message);
        }

        var program = script.Program ?? throw new InvalidOperationException("Jint prepared a script without a program.");
        LiteralLimits.Validate(source, wrapper, program);
        var functionName = source.Kind == RuleKind.Rule ? RuleShape.ValidateRule(source, program) : null;
        if (source.Kind == RuleKind.Action)
        {
            RuleShape.ValidateAction(source, program);
        }

        if (cache.Count >= cacheCapacity)
        {
            cache.Clear();
        }

        cache[(source.Kind, versionHash)] = (script, functionName);
        return (script, functionName);
    }
}
