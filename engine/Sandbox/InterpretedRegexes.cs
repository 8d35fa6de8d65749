using System.Reflection;
using Acornima;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// Keeps every regular expression of a rule on .NET's regex interpreter, never <c>RegexOptions.Compiled</c>.
/// Jint prepares literals compiled by default and upgrades a run-time pattern (<c>new RegExp(s)</c>) to compiled
/// on its third construction in the process; compiling emits IL whose first match is JIT-compiled inside one builtin
/// call, where no limit can look: 28 ms for a 400-character alternation, 139 ms for 1,900, 220 s for 600,000 (measured
/// here), and only on the third login that ran it, so the same login was allowed, denied, then held a thread for
/// minutes. Literals follow <see cref="Parsing"/>; run-time patterns follow the engine's default parser when no script
/// is on the stack (a rule's function is called by the host), and Jint 4.18 has no option for that parser, so it is
/// replaced here (checked by the regex tests, which fail if a Jint upgrade renames the field).
/// </summary>
internal static class InterpretedRegexes
{
    /// <summary>Jint's default parsing, with regular expressions interpreted: for rules and module files.</summary>
    public static readonly ScriptParsingOptions Parsing = ScriptParsingOptions.Default with { CompileRegex = false };

    private static readonly FieldInfo DefaultParser = typeof(JintEngine).GetField("_defaultParser", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Jint's engine has no _defaultParser field any more: keep run-time regular expressions interpreted another way.");

    // The parser options of a script prepared with Parsing: their regex handler says "interpreted" and leaves the
    // match timeout to the engine's RegexTimeout.
    private static readonly ParserOptions InterpretedParserOptions =
        JintEngine.PrepareScript("", options: new ScriptPreparationOptions { ParsingOptions = Parsing }).ParserOptions!;

    /// <summary>Makes the engine interpret the regular expressions built at run time.</summary>
    public static void Apply(JintEngine engine) => DefaultParser.SetValue(engine, new Parser(InterpretedParserOptions));
}
