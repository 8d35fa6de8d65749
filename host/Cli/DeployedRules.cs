using RulesMfa.Engine.Compilation;

namespace RulesMfa.Host.Cli;

/// <summary>A tenant's deployed rules as logins run them (the enabled ones, in order), fetched through its admin API.</summary>
internal static class DeployedRules
{
    /// <exception cref="CliServerException">The server cannot be reached or refuses.</exception>
    public static async Task<IReadOnlyList<RuleSource>> FetchAsync(ServerTarget target, CancellationToken cancellationToken)
    {
        using var api = await AdminApiClient.ConnectAsync(target, cancellationToken);
        var sources = new List<RuleSource>();
        foreach (var summary in (await api.ListRulesAsync(cancellationToken)).Where(rule => rule.Enabled))
        {
            var rule = await api.GetRuleAsync(summary.Id, cancellationToken);
            sources.Add(RuleSource.Inline(rule.Id, rule.Source));
        }

        return sources;
    }
}
