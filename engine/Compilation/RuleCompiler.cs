using System.Security.Cryptography;
using System.Text;
using Acornima;

namespace RulesMfa.Engine.Compilation;

/// <summary>
/// Parses and validates rules. Parsed scripts are cached by the hash of their text (and form), so a rule
/// saved once and run on every login is parsed once. The cache is bounded in bytes, in all and per owner (a tenant:
/// see <see cref="For"/>), so that no flood of distinct drafts can fill the memory. Thread-safe.
/// </summary>
public sealed class RuleCompiler
{
    /// <summary>The cache's default bound in all: 256 MiB.</summary>
    public const long DefaultCacheBytes = 256L << 20;

    /// <summary>The cache's default bound per owner: 64 MiB.</summary>
    public const long DefaultCacheBytesPerOwner = 64L << 20;

    private static readonly ScriptPreparationOptions Preparation = new()
    {
        ParsingOptions = Sandbox.InterpretedRegexes.Parsing with { Tolerant = false },
    };

    private readonly ScriptCache cache;
    private readonly string owner;

    /// <param name="cacheBytes">The most the cache holds in all.</param>
    /// <param name="cacheBytesPerOwner">The most it holds for one owner.</param>
    public RuleCompiler(long cacheBytes = DefaultCacheBytes, long cacheBytesPerOwner = DefaultCacheBytesPerOwner)
        : this(new ScriptCache(cacheBytes, cacheBytesPerOwner), owner: "")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cacheBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheBytesPerOwner);
    }

    private RuleCompiler(ScriptCache cache, string owner) => (this.cache, this.owner) = (cache, owner);

    /// <summary>A process-wide compiler for callers without their own.</summary>
    public static RuleCompiler Shared { get; } = new();

    /// <summary>
    /// This compiler with the same cache, for one owner (a tenant): what it parses counts against that owner's share,
    /// so one owner's scripts never push another's out.
    /// </summary>
    public RuleCompiler For(string cacheOwner) => new(cache, cacheOwner);

    /// <summary>
    /// What the cached scripts cost, in all: the bytes their parsing allocated, an upper bound of the memory they keep
    /// (a parsed script keeps about 70 to 80 bytes per character of source; parsing allocates a little more).
    /// </summary>
    public long CachedBytes => cache.Bytes;

    /// <summary>What this compiler's owner's cached scripts cost (see <see cref="CachedBytes"/>).</summary>
    public long CachedBytesOfOwner => cache.BytesOf(owner);

    /// <summary>Compiles one rule.</summary>
    /// <exception cref="RuleCompilationException">A syntax error (1-based line and column) or a shape error.</exception>
    public CompiledRule Compile(RuleSource source)
    {
        var versionHash = VersionHashOf(source.Text);
        var (script, functionName) = cache.Find(owner, source.Kind, versionHash) ?? Prepare(source, versionHash);
        return new CompiledRule(source.Id, functionName ?? source.Id, source.Kind, versionHash, script);
    }

    /// <summary>Compiles rules in order; the first that fails stops with its exception.</summary>
    public IReadOnlyList<CompiledRule> CompileAll(IEnumerable<RuleSource> sources) => sources.Select(Compile).ToList();

    /// <summary><c>sha256:</c> and the lower-case hex SHA-256 of the rule's UTF-8 text.</summary>
    public static string VersionHashOf(string text) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private CachedScript Prepare(RuleSource source, string versionHash)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
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

        // What parsing allocated on this thread: the kept tree plus the parser's garbage, so never less than what is kept.
        var cached = new CachedScript(script, functionName);
        cache.Add(owner, source.Kind, versionHash, cached, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
        return cached;
    }
}
