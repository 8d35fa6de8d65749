namespace RulesMfa.Engine.Evaluation;

/// <summary>What a login gets when a rule faults (time, a limit, an error of ours). Never allow.</summary>
public enum FailMode
{
    /// <summary>Deny with <c>access_denied</c> and a description naming the rule and the limit. The default.</summary>
    Deny,

    /// <summary>Require MFA with any enabled factor, without remember-browser.</summary>
    RequireMfa,
}
