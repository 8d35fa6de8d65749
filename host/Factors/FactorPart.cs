using RulesMfa.Host.Mfa;

namespace RulesMfa.Host.Factors;

/// <summary>The model of a factor's page part: the page (its return URL, error, options), the factor, and what the factor prepared.</summary>
public sealed record FactorPart(MfaPageModel Page, IMfaFactor Factor, object? View);
