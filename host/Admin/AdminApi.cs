using System.Text.Json.Nodes;
using DiffPlex.Renderer;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Context;
using RulesMfa.Host.Admin.AuditLog;
using RulesMfa.Host.Admin.Users;
using RulesMfa.Host.Admin.Versions;
using RulesMfa.Host.Admission;
using RulesMfa.Host.Branding;
using RulesMfa.Host.SandboxConsole;
using RulesMfa.Host.SandboxConsole.Backtest;
using RulesMfa.Host.SandboxConsole.Drafts;
using RulesMfa.Host.SandboxConsole.Replay;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admin;

/// <summary>
/// The admin API of a tenant (<c>/{tenant}/api/v1</c>, described at <c>/{tenant}/openapi/v1.json</c>): rules with
/// versions, diff and rollback; configuration (secrets write-only); MFA settings and limits; the audit and decision
/// logs; and the sandbox console. Every call is made by an admin of the tenant or one of its machine clients.
/// </summary>
public static class AdminApi
{
    private const string CallerKey = "RulesMfa.AdminCaller";

    public static IServiceCollection AddAdminApi(this IServiceCollection services) => services
        .AddScoped<AdminAccess>().AddScoped<AuditTrail>().AddScoped<TenantConfiguration>().AddScoped<RuleStore>()
        .AddScoped<TenantSettingsStore>().AddScoped<ConsoleEvaluator>().AddScoped<RecordedLogins>().AddConsoleDrafts()
        .AddBacktests().AddAuditLog().AddUserSupport().AddBranding();

    public static void MapAdminApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Admin API").DisableAntiforgery().AddEndpointFilter(async (context, next) =>
        {
            var caller = await context.HttpContext.RequestServices.GetRequiredService<AdminAccess>().IdentifyAsync(context.HttpContext);
            if (!caller.IsAllowed)
            {
                return ApiProblems.Refused(caller);
            }

            context.HttpContext.Items[CallerKey] = caller;
            return await next(context);
        });

        api.MapGet("/rules", (HttpContext http, RuleStore rules) => rules.ListAsync(Tenant(http), http.RequestAborted))
            .WithSummary("Lists the tenant's rules in the order logins run them.");
        api.MapGet("/rules/{id}", async (string id, HttpContext http, RuleStore rules) =>
            await rules.GetAsync(Tenant(http), id, http.RequestAborted) is { } rule ? Results.Ok(rule) : ApiProblems.NotFound($"No rule '{id}'."))
            .WithSummary("One rule with its source and test cases.");
        api.MapPut("/rules/{id}", SaveRuleAsync)
            .WithSummary("Creates or updates a rule: it must compile and its test cases must pass (or \"force\": true, audited). Every change of source or tests is a new version.");
        api.MapPatch("/rules/{id}", async (string id, HttpContext http, RuleStore rules) =>
        {
            var (state, problem) = await JsonBody.ReadAsync<RuleState>(http.Request, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            return await rules.SetStateAsync(Tenant(http), id, state!.Order, state.Enabled, Caller(http), http.RequestAborted) is { } rule
                ? Results.Ok(rule)
                : ApiProblems.NotFound($"No rule '{id}'.");
        }).WithSummary("Changes a rule's order or enables or disables it (no new version).");
        api.MapDelete("/rules/{id}", async (string id, HttpContext http, RuleStore rules) =>
            await rules.DeleteAsync(Tenant(http), id, Caller(http), http.RequestAborted) ? Results.NoContent() : ApiProblems.NotFound($"No rule '{id}'."))
            .WithSummary("Removes a rule from the deployed set; its versions are kept.");
        api.MapGet("/rules/{id}/versions", (string id, HttpContext http, RuleStore rules) => rules.VersionsAsync(Tenant(http), id, http.RequestAborted))
            .WithSummary("The rule's versions, newest first.");
        api.MapGet("/rules/{id}/versions/{version:int}", async (string id, int version, HttpContext http, RuleStore rules) =>
            await rules.VersionAsync(Tenant(http), id, version, http.RequestAborted) is { } found ? Results.Ok(found) : ApiProblems.NotFound($"No version {version} of rule '{id}'."))
            .WithSummary("One version's source and tests.");
        api.MapGet("/rules/{id}/diff", DiffAsync).WithSummary("A unified diff between two versions (?from=1&to=2).");
        api.MapPost("/rules/{id}/rollback", RollbackAsync).WithSummary("Saves an old version as the newest one (its tests run again).");
        api.MapPost("/rules/{id}/tests/run", (string id, HttpContext http, RuleStore rules) => AdmittedAsync(http, async () =>
            await rules.RunSavedTestsAsync(Tenant(http), id, http.RequestAborted) is { } report ? Results.Ok(report) : ApiProblems.NotFound($"No rule '{id}'.")))
            .WithSummary("Runs the rule's stored test cases.");

        api.MapGet("/configuration", (HttpContext http, TenantConfiguration configuration) => configuration.ListAsync(Tenant(http), http.RequestAborted))
            .WithSummary("The rules' configuration; secret values are never returned.");
        api.MapPut("/configuration/{name}", async (string name, HttpContext http, TenantConfiguration configuration) =>
        {
            var (value, problem) = await JsonBody.ReadAsync<ConfigurationValue>(http.Request, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            var invalid = await configuration.SetAsync(Tenant(http), name, value!.Value, value.Secret, Caller(http), http.RequestAborted);
            return invalid is null ? Results.NoContent() : ApiProblems.Invalid([invalid]);
        }).WithSummary("Sets one configuration value; \"secret\": true makes it write-only.");
        api.MapDelete("/configuration/{name}", async (string name, HttpContext http, TenantConfiguration configuration) =>
            await configuration.RemoveAsync(Tenant(http), name, Caller(http), http.RequestAborted) ? Results.NoContent() : ApiProblems.NotFound($"No configuration value '{name}'."))
            .WithSummary("Removes one configuration value.");

        api.MapGet("/settings", async (HttpContext http, TenantSettingsStore settings) =>
            Results.Json(await settings.GetAsync(Tenant(http), http.RequestAborted), TenantSettings.JsonOptions))
            .WithSummary("The tenant's MFA settings, fail mode and sandbox limits.");
        api.MapPut("/settings", async (HttpContext http, TenantSettingsStore settings) =>
        {
            var (value, problem) = await JsonBody.ReadAsync<TenantSettings>(http.Request, http.RequestAborted, JsonBody.StrictOptions);
            if (problem is not null)
            {
                return problem;
            }

            var invalid = await settings.SaveAsync(Tenant(http), value!, Caller(http), http.RequestAborted);
            return invalid is null
                ? Results.Json(value, TenantSettings.JsonOptions)
                : ApiProblems.Invalid([invalid]);
        }).WithSummary("Replaces the settings (validated as a whole; nothing is saved when a field is wrong).");

        api.MapGet("/decisions", async (HttpContext http, RecordedLogins logins, string? user, string? client, string? outcome, string? from,
            string? to, string? limit) =>
        {
            var (query, errors) = DecisionQuery.Parse(user, client, outcome, from, to, limit);
            if (query is null)
            {
                return ApiProblems.Invalid(errors);
            }

            var (found, problem) = await logins.SearchAsync(Tenant(http), query, http.RequestAborted);
            return problem is null ? Results.Ok(found) : ApiProblems.Invalid([problem]);
        }).WithSummary("Recent logins' decisions with the input their rules saw, newest first (?user=, client=, outcome=, from=, to=, limit=).");
        api.MapGet("/decisions/{id:long}", async (long id, HttpContext http, RecordedLogins logins) =>
            await logins.GetAsync(Tenant(http), id, http.RequestAborted) is { } login ? Results.Ok(login) : ApiProblems.NotFound($"No recorded login {id}."))
            .WithSummary("One recorded login with its input and decision.");
        api.MapAuditLog();
        api.MapUsers();
        api.MapVersionDiff();

        api.MapPost("/console/evaluate", async (HttpContext http, ConsoleEvaluator console) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<ConsoleRequest>(http.Request, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            return await AdmittedAsync(http, async () =>
            {
                var (result, errors) = await console.EvaluateAsync(Tenant(http), request!, http.RequestAborted);
                return result is not null ? Results.Ok(result) : ApiProblems.Invalid(errors);
            });
        }).WithSummary("Runs a draft rule set (or the deployed one) on an input, through the same pipeline and policy as logins.");
        api.MapConsoleDrafts();
        api.MapBacktests();
        api.MapBranding();
        api.MapSettingsCaps();
    }

    private static async Task<IResult> SaveRuleAsync(string id, HttpContext http, RuleStore rules)
    {
        var (save, problem) = await JsonBody.ReadAsync<RuleSave>(http.Request, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        return await AdmittedAsync(http, async () =>
        {
            try
            {
                return Outcome(await rules.SaveAsync(Tenant(http), id, save!, Caller(http), http.RequestAborted), id);
            }
            catch (DbUpdateException)
            {
                return ApiProblems.Conflict($"Rule '{id}' was changed by someone else at the same time; load it again and retry.");
            }
        });
    }

    private static async Task<IResult> RollbackAsync(string id, HttpContext http, RuleStore rules)
    {
        var (rollback, problem) = await JsonBody.ReadAsync<Rollback>(http.Request, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        if (rollback!.Version is not >= 1)
        {
            return ApiProblems.Invalid([new FieldError("version", "the version to roll back to is required (a whole number from 1)")]);
        }

        return await AdmittedAsync(http, async () =>
            Outcome(await rules.RollbackAsync(Tenant(http), id, rollback.Version.Value, rollback.Force, Caller(http), http.RequestAborted), id));
    }

    /// <summary>
    /// Runs a call that evaluates rules (a console run, a save or rollback with its test cases, a test run) once the tenant's
    /// console gate admits it, after its body was read, so a slow upload holds no place; a 429 with Retry-After otherwise.
    /// </summary>
    internal static async Task<IResult> AdmittedAsync(HttpContext http, Func<Task<IResult>> evaluate)
    {
        using var admission = await http.RequestServices.GetRequiredService<EvaluationAdmission>().AdmitConsoleRunAsync(Tenant(http), http.RequestAborted);
        return admission is AdmissionResult.Refused refused ? ApiProblems.Busy(http.Response, refused) : await evaluate();
    }

    private static async Task<IResult> DiffAsync(string id, string? from, string? to, HttpContext http, RuleStore rules)
    {
        // Read here rather than bound as numbers: the framework answered a missing or bad one with a bare 400 naming nothing.
        var (older, newer) = (VersionNumber(from), VersionNumber(to));
        if (older is not { } olderVersion || newer is not { } newerVersion)
        {
            return ApiProblems.Invalid([.. new[] { ("from", older), ("to", newer) }.Where(parameter => parameter.Item2 is null)
                .Select(parameter => new FieldError(parameter.Item1, "must be a version number of the rule (a whole number from 1)"))]);
        }

        return await DiffOfAsync(id, olderVersion, newerVersion, http, rules);
    }

    private static int? VersionNumber(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version >= 1 ? version : null;

    private static async Task<IResult> DiffOfAsync(string id, int from, int to, HttpContext http, RuleStore rules)
    {
        var older = await rules.VersionAsync(Tenant(http), id, from, http.RequestAborted);
        var newer = await rules.VersionAsync(Tenant(http), id, to, http.RequestAborted);
        if (older is null || newer is null)
        {
            return ApiProblems.NotFound($"Rule '{id}' has no version {(older is null ? from : to)}.");
        }

        var diff = UnidiffRenderer.GenerateUnidiff(older.Source, newer.Source, $"{id}.js@{from}", $"{id}.js@{to}", false, false, 3);
        return Results.Ok(new { from, to, fromHash = older.VersionHash, toHash = newer.VersionHash, diff });
    }

    private static IResult Outcome(RuleSaveOutcome outcome, string id) => outcome switch
    {
        RuleSaveOutcome.Saved saved => Results.Ok(new { rule = saved.Rule, tests = saved.Tests, newVersion = saved.NewVersion }),
        RuleSaveOutcome.Invalid invalid => ApiProblems.Invalid(invalid.Errors),
        RuleSaveOutcome.TestsFailed failed => ApiProblems.TestsFailed(failed.Tests),
        _ => ApiProblems.NotFound($"No such version of rule '{id}'."),
    };

    internal static string Tenant(HttpContext http) => TenantContext.Required(http).Id;

    internal static Actor Caller(HttpContext http) => ((AdminCaller)http.Items[CallerKey]!).Actor!;

    private sealed record RuleState(int? Order, bool? Enabled);

    private sealed record ConfigurationValue(string? Value, bool Secret);

    private sealed record Rollback(int? Version, bool Force);
}
