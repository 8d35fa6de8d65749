using RulesMfa.Engine.Compilation;

namespace RulesMfa.Engine.Sandbox;

/// <summary>Runs one rule of its kind (<see cref="RulesAdapter"/>, <see cref="ActionsAdapter"/>) inside <see cref="LoginSandbox.Run"/>.</summary>
internal interface IRuleAdapter
{
    RuleRun Run(CompiledRule rule);
}
