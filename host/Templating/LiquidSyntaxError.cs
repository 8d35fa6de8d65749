namespace RulesMfa.Host.Templating;

/// <summary>Why a Liquid template does not parse: Fluid's message, and where (1-based) when Fluid says.</summary>
internal sealed record LiquidSyntaxError(string Message, int? Line, int? Column);
