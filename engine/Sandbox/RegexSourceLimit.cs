using Jint.Native;
using RulesMfa.Engine.Decisions;

namespace RulesMfa.Engine.Sandbox;

/// <summary>
/// The longest regular-expression source a rule may build (<see cref="SandboxLimits.MaxRegexLength"/>), checked before
/// Jint parses it: parsing and translating a pattern is one builtin call that no other limit interrupts (a 600,000
/// character alternation took 100 ms and 32 MB before the rule's next statement could look).
/// </summary>
internal sealed class RegexSourceLimit(int maxLength)
{
    /// <summary>Returns <paramref name="source"/>, or throws the limit (a CLR exception, which a rule cannot catch).</summary>
    public JsValue Check(string source) => source.Length <= maxLength
        ? source
        : throw new SandboxLimitException(SandboxLimit.Regex, $"built a regular expression of {source.Length:N0} characters, over the limit of {maxLength:N0}");
}
