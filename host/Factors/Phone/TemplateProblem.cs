namespace RulesMfa.Host.Factors.Phone;

/// <summary>What is wrong with a message template, and on which line (1-based) when it does not parse.</summary>
public sealed record TemplateProblem(string Message, int? Line);
