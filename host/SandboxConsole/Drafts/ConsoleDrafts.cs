using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>
/// Each admin's draft rule set, kept on the server: console edits change only the draft; the deployed rules change only when
/// the draft is deployed (<see cref="DraftDeployment"/>). A draft that was never saved reads as the deployed set.
/// </summary>
public sealed class ConsoleDrafts(RulesMfaDbContext database, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = JsonBody.Options;

    public async Task<ConsoleDraft> GetAsync(string tenantId, Actor owner, CancellationToken cancellationToken)
    {
        var record = await FindAsync(tenantId, owner, cancellationToken);
        var deployed = await DeployedAsync(tenantId, cancellationToken);
        return record is null
            ? new ConsoleDraft(deployed, Saved: false, UpdatedAt: null, deployed)
            : new ConsoleDraft(JsonSerializer.Deserialize<List<DraftRule>>(record.RulesJson, Json) ?? [], Saved: true, record.UpdatedAt, deployed);
    }

    /// <summary>Replaces the owner's draft; returns what is wrong with it (nothing saved then), or an empty list.</summary>
    public async Task<IReadOnlyList<FieldError>> SaveAsync(string tenantId, Actor owner, IReadOnlyList<DraftRule?> rules, CancellationToken cancellationToken)
    {
        var problems = DraftLimits.Problems(rules);
        problems.AddRange(rules.Select((rule, index) => (rule, index))
            .Where(pair => pair.rule?.Id is { Length: > 0 } id && !RuleStore.IsValidId(id))
            .Select(pair => new FieldError($"rules[{pair.index}].id", "use 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit")));
        if (problems.Count > 0)
        {
            return problems;
        }

        var record = await FindAsync(tenantId, owner, cancellationToken)
            ?? database.Set<ConsoleDraftRecord>().Add(new ConsoleDraftRecord { TenantId = tenantId, Owner = owner.Name, RulesJson = "[]" }).Entity;
        record.RulesJson = JsonSerializer.Serialize(rules, Json);
        record.UpdatedAt = clock.GetUtcNow();
        await database.SaveChangesAsync(cancellationToken);
        return [];
    }

    /// <summary>Throws the owner's draft away; false when there was none.</summary>
    public async Task<bool> DiscardAsync(string tenantId, Actor owner, CancellationToken cancellationToken) =>
        await database.Set<ConsoleDraftRecord>().Where(record => record.TenantId == tenantId && record.Owner == owner.Name).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>The deployed rules in login order, every one (a disabled rule too), as a draft starts from them.</summary>
    public async Task<IReadOnlyList<DraftRule>> DeployedAsync(string tenantId, CancellationToken cancellationToken)
    {
        var rules = (await database.Rules.AsNoTracking().Where(rule => rule.TenantId == tenantId).ToListAsync(cancellationToken)).InRunOrder();
        return rules.Select(rule => new DraftRule(rule.RuleId, rule.Source,
            rule.TestsJson is null ? null : System.Text.Json.Nodes.JsonNode.Parse(rule.TestsJson) as System.Text.Json.Nodes.JsonObject, rule.Enabled, rule.Version)).ToList();
    }

    private Task<ConsoleDraftRecord?> FindAsync(string tenantId, Actor owner, CancellationToken cancellationToken) =>
        database.Set<ConsoleDraftRecord>().SingleOrDefaultAsync(record => record.TenantId == tenantId && record.Owner == owner.Name, cancellationToken);
}
