using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Admin;

namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>
/// <c>/console/draft</c>: each admin's draft rule set (read, replace, discard), the preview of its deploy (the diff against
/// the deployed set and the changed rules' test results) and the deploy itself, which must be confirmed.
/// </summary>
internal static class ConsoleDraftEndpoints
{
    public static IServiceCollection AddConsoleDrafts(this IServiceCollection services) =>
        services.AddScoped<ConsoleDrafts>().AddScoped<DraftDeployment>();

    public static void MapConsoleDrafts(this RouteGroupBuilder api)
    {
        api.MapGet("/console/draft", async (HttpContext http, ConsoleDrafts drafts) =>
            Results.Ok(await drafts.GetAsync(AdminApi.Tenant(http), AdminApi.Caller(http), http.RequestAborted)))
            .WithSummary("Your draft rule set; the deployed set (\"saved\": false) when you have none.");
        api.MapPut("/console/draft", async (HttpContext http, ConsoleDrafts drafts) =>
        {
            var (draft, problem) = await JsonBody.ReadAsync<DraftBody>(http.Request, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            try
            {
                var errors = await drafts.SaveAsync(AdminApi.Tenant(http), AdminApi.Caller(http), draft!.Rules ?? [], http.RequestAborted);
                return errors.Count == 0
                    ? Results.Ok(await drafts.GetAsync(AdminApi.Tenant(http), AdminApi.Caller(http), http.RequestAborted))
                    : ApiProblems.Invalid(errors);
            }
            catch (DbUpdateException)
            {
                return ApiProblems.Conflict("Your draft was saved from another window at the same time; load it again.");
            }
        }).WithSummary("Replaces your draft rule set (nothing deployed).");
        api.MapDelete("/console/draft", async (HttpContext http, ConsoleDrafts drafts) =>
            await drafts.DiscardAsync(AdminApi.Tenant(http), AdminApi.Caller(http), http.RequestAborted) ? Results.NoContent() : ApiProblems.NotFound("You have no draft."))
            .WithSummary("Discards your draft.");
        api.MapSyntaxCheck();
        api.MapPost("/console/tests/run", async (HttpContext http, RuleStore rules) =>
        {
            var (rule, problem) = await JsonBody.ReadAsync<DraftRule>(http.Request, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            if (DraftLimits.Problems([rule]) is { Count: > 0 } invalid)
            {
                return ApiProblems.Invalid(invalid);
            }

            return await AdminApi.AdmittedAsync(http, async () =>
            {
                var (report, errors) = await rules.CheckAsync(AdminApi.Tenant(http), rule!.Id, rule.Source, rule.Tests ?? new() { ["cases"] = new System.Text.Json.Nodes.JsonArray() }, http.RequestAborted);
                return errors.Count == 0 ? Results.Ok(report) : ApiProblems.Invalid(errors);
            });
        }).WithSummary("Runs a draft rule's test cases on its draft source (nothing saved).");
        api.MapPost("/console/draft/preview", (HttpContext http, DraftDeployment deployment) => AdminApi.AdmittedAsync(http, async () =>
            Results.Ok(await deployment.PreviewAsync(AdminApi.Tenant(http), AdminApi.Caller(http), http.RequestAborted))))
            .WithSummary("What deploying your draft would change: each rule's diff and its test cases' results.");
        api.MapPost("/console/draft/deploy", async (HttpContext http, DraftDeployment deployment) =>
        {
            var (deploy, problem) = await JsonBody.ReadAsync<DeployBody>(http.Request, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            if (!deploy!.Confirm)
            {
                return ApiProblems.Invalid([new FieldError("confirm", "a deploy must be confirmed (\"confirm\": true) after its preview")]);
            }

            return await AdminApi.AdmittedAsync(http, async () =>
            {
                try
                {
                    return await deployment.DeployAsync(AdminApi.Tenant(http), AdminApi.Caller(http), deploy.Force, http.RequestAborted) switch
                    {
                        DeployOutcome.Deployed deployed => Results.Ok(new { changed = deployed.Changed }),
                        DeployOutcome.Refused refused => ApiProblems.DeployRefused(refused.Rules),
                        _ => ApiProblems.NotFound("You have no draft to deploy."),
                    };
                }
                catch (DbUpdateException)
                {
                    return ApiProblems.Conflict("A rule was changed by someone else at the same time; nothing was deployed. Preview again and retry.");
                }
            });
        }).WithSummary("Deploys your draft in one step (confirm with \"confirm\": true; \"force\": true deploys rules whose tests fail, audited).");
    }

    private sealed record DraftBody(IReadOnlyList<DraftRule?>? Rules);

    private sealed record DeployBody(bool Confirm, bool Force);
}
