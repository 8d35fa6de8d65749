namespace RulesMfa.Engine.Decisions;

/// <summary>One captured <c>console</c> line, or a notice of the engine about a rule (level <c>warn</c> or <c>error</c>).</summary>
public sealed record RuleLogEntry(string Rule, string Level, string Message);
