namespace RulesMfa.Engine.Compilation;

/// <summary>The two forms of rule Auth0 knew: legacy Rules and post-login Actions.</summary>
public enum RuleKind
{
    /// <summary><c>function (user, context, callback) { ... }</c></summary>
    Rule,

    /// <summary><c>exports.onExecutePostLogin = async (event, api) => { ... }</c></summary>
    Action,
}
