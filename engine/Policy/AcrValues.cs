namespace RulesMfa.Engine.Policy;

/// <summary>The <c>acr_values</c> a client sends to ask for step-up authentication.</summary>
public static class AcrValues
{
    /// <summary>The PAPE multi-factor policy: the client wants MFA in this login.</summary>
    public const string MultiFactor = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

    /// <summary>True when the space-separated <paramref name="acrValues"/> contain <see cref="MultiFactor"/>.</summary>
    public static bool RequestsMultiFactor(string? acrValues) =>
        acrValues is not null && acrValues.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(MultiFactor, StringComparer.Ordinal);
}
