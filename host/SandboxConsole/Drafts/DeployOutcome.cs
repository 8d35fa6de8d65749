using RulesMfa.Host.Admin;

namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>What became of a deploy: every change saved, nothing saved because rules were refused, or no draft to deploy.</summary>
public abstract record DeployOutcome
{
    public sealed record Deployed(IReadOnlyList<string> Changed) : DeployOutcome;

    public sealed record Refused(IReadOnlyDictionary<string, RuleSaveOutcome> Rules) : DeployOutcome;

    public sealed record NothingToDeploy : DeployOutcome;
}
