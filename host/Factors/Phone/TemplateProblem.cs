namespace RulesMfa.Host.Factors.Phone;

/// <summary>What is wrong with a message template, and where (1-based line and column, as Fluid reports them) when it does not parse.</summary>
public sealed record TemplateProblem(string Message, int? Line = null, int? Column = null);
