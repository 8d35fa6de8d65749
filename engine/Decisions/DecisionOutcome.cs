namespace RulesMfa.Engine.Decisions;

/// <summary>What the rules decided for a login, before tenant policy applies.</summary>
public enum DecisionOutcome
{
    /// <summary>No rule asked for MFA or denied.</summary>
    Allow,

    /// <summary>A rule asked for MFA (a provider other than <c>none</c>, a challenge or an enrollment), or a fault required it.</summary>
    Mfa,

    /// <summary>A rule denied or errored, or a fault applied the deny fail mode.</summary>
    Deny,
}
