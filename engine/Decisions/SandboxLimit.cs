using System.Text.Json.Serialization;

namespace RulesMfa.Engine.Decisions;

/// <summary>The sandbox limit a rule broke.</summary>
public enum SandboxLimit
{
    /// <summary>Too many statements.</summary>
    [JsonStringEnumMemberName("statements")] Statements,

    /// <summary>Too many bytes allocated.</summary>
    [JsonStringEnumMemberName("memory")] Memory,

    /// <summary>Calls nested too deep.</summary>
    [JsonStringEnumMemberName("recursion")] Recursion,

    /// <summary>A regular expression ran too long, or its source was longer than the limit.</summary>
    [JsonStringEnumMemberName("regex")] Regex,

    /// <summary>An array grew too large.</summary>
    [JsonStringEnumMemberName("array-size")] ArraySize,

    /// <summary>A builtin would have built a string too long (<c>repeat</c>, <c>padStart</c>, <c>join</c>, <c>replaceAll</c>).</summary>
    [JsonStringEnumMemberName("string-length")] StringLength,

    /// <summary>Too many promise reactions (a microtask flood).</summary>
    [JsonStringEnumMemberName("promise-reactions")] PromiseReactions,

    /// <summary>The claims or metadata the rules asked for grew too large.</summary>
    [JsonStringEnumMemberName("output-size")] OutputSize,

    /// <summary>The claims or metadata the rules asked for nest deeper than <see cref="Context.JsonNesting.MaxLevels"/> levels.</summary>
    [JsonStringEnumMemberName("output-depth")] OutputDepth,

    /// <summary>The rule was not run: it broke its limits repeatedly and its circuit breaker is open.</summary>
    [JsonStringEnumMemberName("suspended")] Suspended,
}
