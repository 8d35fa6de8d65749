using System.Text.Json.Nodes;
using DiffPlex.Renderer;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Admin;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>
/// Deploys an admin's draft as one step: first a preview (the diff against the deployed set and each changed rule's test
/// cases), then, confirmed, every change in one transaction through <see cref="RuleStore"/> (each rule validated, tested,
/// versioned and audited as a single save is), so a refused rule leaves the deployed set as it was.
/// </summary>
public sealed class DraftDeployment(RulesMfaDbContext database, ConsoleDrafts drafts, RuleStore rules, AuditTrail audit)
{
    public async Task<DeployPreview> PreviewAsync(string tenantId, Actor owner, CancellationToken cancellationToken)
    {
        var draft = await drafts.GetAsync(tenantId, owner, cancellationToken);
        var deployed = await DeployedAsync(tenantId, cancellationToken);
        var renumber = NeedsRenumbering(draft.Rules, deployed);
        var changes = new List<DraftChange>();
        var unchanged = 0;
        foreach (var rule in draft.Rules)
        {
            deployed.TryGetValue(rule.Id, out var current);
            var what = ChangesOf(rule, current, renumber && current is not null && Moved(rule.Id, draft.Rules, deployed));
            if (what.Count == 0)
            {
                unchanged++;
                continue;
            }

            var (tests, errors) = what.Contains("added") || what.Contains("source") || what.Contains("tests")
                ? await rules.CheckAsync(tenantId, rule.Id, rule.Source, rule.Tests, cancellationToken)
                : (null, []);
            var diff = current is null || current.Source == rule.Source ? null
                : UnidiffRenderer.GenerateUnidiff(current.Source, rule.Source, $"{rule.Id}.js (deployed version {current.Version})", $"{rule.Id}.js (draft)", false, false, 3);
            var since = current is not null && rule.BaseVersion is { } based && based != current.Version
                ? $"version {current.Version} was deployed after your draft took version {based}: deploying replaces it" : null;
            changes.Add(new DraftChange(rule.Id, what, diff, tests, errors, current?.Version, since));
        }

        var kept = draft.Rules.Select(rule => rule.Id).ToHashSet(StringComparer.Ordinal);
        changes.AddRange(deployed.Values.Where(rule => !kept.Contains(rule.RuleId))
            .Select(rule => new DraftChange(rule.RuleId, ["deleted"], null, null, [], rule.Version, null)));
        return new DeployPreview(changes, unchanged);
    }

    /// <summary>
    /// Saves every change of the draft in one transaction and then discards the draft; the failures when a rule is refused
    /// (nothing saved then).
    /// </summary>
    public async Task<DeployOutcome> DeployAsync(string tenantId, Actor owner, bool force, CancellationToken cancellationToken)
    {
        var draft = await drafts.GetAsync(tenantId, owner, cancellationToken);
        if (!draft.Saved)
        {
            return new DeployOutcome.NothingToDeploy();
        }

        var deployed = await DeployedAsync(tenantId, cancellationToken);
        var renumber = NeedsRenumbering(draft.Rules, deployed);
        await using var transaction = await database.Database.BeginTransactionAsync(cancellationToken);
        var saved = new List<string>();

        // Deleted first, so that a draft at the tenant's limit that replaces a rule by another fits.
        var kept = draft.Rules.Select(rule => rule.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in deployed.Keys.Where(id => !kept.Contains(id)))
        {
            await rules.DeleteAsync(tenantId, gone, owner, cancellationToken);
            saved.Add(gone);
        }

        var refused = new Dictionary<string, RuleSaveOutcome>(StringComparer.Ordinal);
        foreach (var (rule, index) in draft.Rules.Select((rule, index) => (rule, index)))
        {
            deployed.TryGetValue(rule.Id, out var current);
            var order = renumber ? (index + 1) * 10 : (int?)null;
            if (ChangesOf(rule, current, renumber && current is not null && Moved(rule.Id, draft.Rules, deployed)).Count == 0)
            {
                // In its place among the others, but the numbering changed around it (a rule added before it).
                if (order is { } place && current!.Order != place)
                {
                    await rules.SetStateAsync(tenantId, rule.Id, place, null, owner, cancellationToken);
                }

                continue;
            }

            var outcome = await rules.SaveAsync(tenantId, rule.Id, new RuleSave(rule.Source, rule.Tests, order, rule.Enabled, force), owner, cancellationToken);
            if (outcome is RuleSaveOutcome.Saved)
            {
                saved.Add(rule.Id);
            }
            else
            {
                refused[rule.Id] = outcome;
            }
        }

        if (refused.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new DeployOutcome.Refused(refused);
        }

        await database.Set<ConsoleDraftRecord>().Where(record => record.TenantId == tenantId && record.Owner == owner.Name).ExecuteDeleteAsync(cancellationToken);
        audit.Record(tenantId, owner, "draft.deployed", "rules", detail: $"{saved.Count} rules changed: {string.Join(", ", saved)}");
        await database.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new DeployOutcome.Deployed(saved);
    }

    private static List<string> ChangesOf(DraftRule rule, RuleRecord? current, bool moved)
    {
        if (current is null)
        {
            return ["added"];
        }

        var changes = new List<string>();
        if (current.Source != rule.Source)
        {
            changes.Add("source");
        }

        if (!JsonNode.DeepEquals(current.TestsJson is null ? null : JsonNode.Parse(current.TestsJson), rule.Tests))
        {
            changes.Add("tests");
        }

        if (current.Enabled != rule.Enabled)
        {
            changes.Add(rule.Enabled ? "enabled" : "disabled");
        }

        if (moved)
        {
            changes.Add("moved");
        }

        return changes;
    }

    /// <summary>
    /// Whether the draft's order differs from the deployed one (then every rule gets the order of its place, 10, 20, ...);
    /// rules new in the draft and placed after every deployed one keep the others' orders as they are.
    /// </summary>
    private static bool NeedsRenumbering(IReadOnlyList<DraftRule> draft, Dictionary<string, RuleRecord> deployed)
    {
        var draftOrder = draft.Where(rule => deployed.ContainsKey(rule.Id)).Select(rule => rule.Id).ToList();
        var deployedOrder = deployed.Values.InRunOrder().Select(rule => rule.RuleId).Where(draftOrder.Contains).ToList();
        var lastDeployed = draft.Select((rule, index) => (rule, index)).LastOrDefault(pair => deployed.ContainsKey(pair.rule.Id)).index;
        var newBeforeLast = draft.Take(lastDeployed).Any(rule => !deployed.ContainsKey(rule.Id));
        return newBeforeLast || !draftOrder.SequenceEqual(deployedOrder, StringComparer.Ordinal);
    }

    /// <summary>Whether the rule's place among the rules both sets have changed.</summary>
    private static bool Moved(string id, IReadOnlyList<DraftRule> draft, Dictionary<string, RuleRecord> deployed)
    {
        var draftOrder = draft.Where(rule => deployed.ContainsKey(rule.Id)).Select(rule => rule.Id).ToList();
        var deployedOrder = deployed.Values.InRunOrder().Select(rule => rule.RuleId).Where(draftOrder.Contains).ToList();
        return draftOrder.IndexOf(id) != deployedOrder.IndexOf(id);
    }

    private async Task<Dictionary<string, RuleRecord>> DeployedAsync(string tenantId, CancellationToken cancellationToken) =>
        await database.Rules.AsNoTracking().Where(rule => rule.TenantId == tenantId).ToDictionaryAsync(rule => rule.RuleId, StringComparer.Ordinal, cancellationToken);
}
