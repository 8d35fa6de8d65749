using DiffPlex.Renderer;
using RulesMfa.Host.SandboxConsole.Drafts;

namespace RulesMfa.Host.Admin.Versions;

/// <summary>
/// <c>GET /rules/{id}/versions/{n}/diff?against=deployed|draft</c>: a unified diff from version n to the deployed version or to
/// the caller's draft of the rule (what the versions view compares; <c>/rules/{id}/diff</c> compares two versions).
/// </summary>
internal static class VersionDiffEndpoints
{
    public static void MapVersionDiff(this RouteGroupBuilder api) =>
        api.MapGet("/rules/{id}/versions/{version:int}/diff", async (string id, int version, string? against, HttpContext http, RuleStore rules, ConsoleDrafts drafts) =>
        {
            var tenant = AdminApi.Tenant(http);
            if (await rules.VersionAsync(tenant, id, version, http.RequestAborted) is not { } old)
            {
                return ApiProblems.NotFound($"No version {version} of rule '{id}'.");
            }

            switch (against ?? "deployed")
            {
                case "deployed":
                    return await rules.GetAsync(tenant, id, http.RequestAborted) is { } deployed
                        ? Diff(id, old, $"deployed version {deployed.Version}", deployed.VersionHash, deployed.Source)
                        : ApiProblems.NotFound($"Rule '{id}' is not deployed (it was deleted): compare two of its versions instead.");
                case "draft":
                    var draft = await drafts.GetAsync(tenant, AdminApi.Caller(http), http.RequestAborted);
                    return draft.Rules.FirstOrDefault(rule => rule.Id == id) is { } drafted
                        ? Diff(id, old, draft.Saved ? "your draft" : "your draft (same as the deployed rules)", null, drafted.Source)
                        : ApiProblems.NotFound($"Your draft has no rule '{id}' (deleted in the draft).");
                default:
                    return ApiProblems.Invalid([new FieldError("against", "must be deployed or draft")]);
            }
        }).WithSummary("A unified diff from one version of a rule to the deployed version (?against=deployed, the default) or to your draft (?against=draft).");

    private static IResult Diff(string id, RuleVersionDetail old, string to, string? toHash, string source) => Results.Ok(new
    {
        from = old.Version, to, fromHash = old.VersionHash, toHash,
        same = old.Source == source,
        diff = UnidiffRenderer.GenerateUnidiff(old.Source, source, $"{id}.js (version {old.Version})", $"{id}.js ({to})", false, false, 3),
    });
}
