namespace RulesMfa.Engine.Migration;

/// <summary><c>rulesmfa migrate</c> was given an Action (it assigns <c>exports.onExecutePostLogin</c>): there is nothing to migrate.</summary>
public sealed class AlreadyAnActionException(string ruleId)
    : Exception($"'{ruleId}' is already an Action (it exports onExecutePostLogin): there is nothing to migrate");
