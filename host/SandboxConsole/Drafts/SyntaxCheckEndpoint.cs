using RulesMfa.Engine.Compilation;
using RulesMfa.Host.Admin;

namespace RulesMfa.Host.SandboxConsole.Drafts;

/// <summary>
/// <c>POST /console/check</c>: whether a draft rule's source compiles, by the compiler a save and a deploy use, so that the
/// console shows as it is typed the line, column and message a deploy would give (nothing saved, nothing run).
/// </summary>
internal static class SyntaxCheckEndpoint
{
    public static void MapSyntaxCheck(this RouteGroupBuilder api) =>
        api.MapPost("/console/check", async (HttpContext http, RuleCompiler compiler) =>
        {
            var (check, problem) = await JsonBody.ReadAsync<CheckBody>(http.Request, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            if (check!.Source is null || check.Source.Length > RuleStore.MaxSourceLength)
            {
                return ApiProblems.Invalid([new FieldError("source", $"the rule's JavaScript source is required, at most {RuleStore.MaxSourceLength:N0} characters")]);
            }

            return await AdminApi.AdmittedAsync(http, () => Task.FromResult(Check(compiler.For(AdminApi.Tenant(http)), check.Id ?? "rule", check.Source)));
        }).WithSummary("Checks a draft rule's syntax as a deploy would: {\"ok\": true} or {\"ok\": false, line, column, message} (1-based).");

    private static IResult Check(RuleCompiler compiler, string id, string source)
    {
        try
        {
            compiler.Compile(RuleSource.Inline(id, source));
            return Results.Ok(new { ok = true });
        }
        catch (RuleCompilationException invalid)
        {
            return Results.Ok(new { ok = false, line = invalid.Line, column = invalid.Column, message = invalid.Description });
        }
    }

    private sealed record CheckBody(string? Source, string? Id);
}
