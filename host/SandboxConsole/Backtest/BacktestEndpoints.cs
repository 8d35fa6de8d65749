using RulesMfa.Host.Admin;

namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary><c>/console/backtest</c>: start a backtest of a draft rule set, follow its progress and result, cancel it.</summary>
internal static class BacktestEndpoints
{
    public static IServiceCollection AddBacktests(this IServiceCollection services) =>
        services.AddSingleton<BacktestJobs>().AddScoped<BacktestRun>();

    public static void MapBacktests(this RouteGroupBuilder api)
    {
        api.MapPost("/console/backtest", async (HttpContext http, BacktestJobs jobs) =>
        {
            var (request, problem) = await JsonBody.ReadAsync<BacktestRequest>(http.Request, http.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            var (job, errors, busy) = jobs.Start(AdminApi.Tenant(http), AdminApi.Caller(http), request!);
            return job is not null ? Results.Accepted(null, job)
                : busy is not null ? ApiProblems.Conflict(busy)
                : ApiProblems.Invalid(errors);
        }).WithSummary("Starts a backtest: the draft rule set run on the newest recorded logins (\"last\", default 1,000), in the background.");
        api.MapGet("/console/backtest", (HttpContext http, BacktestJobs jobs) =>
            jobs.Newest(AdminApi.Tenant(http)) is { } job ? Results.Ok(job) : ApiProblems.NotFound("This tenant has no backtest (since the server started)."))
            .WithSummary("The tenant's newest backtest: its progress, why it pauses, and its result when done.");
        api.MapDelete("/console/backtest", (HttpContext http, BacktestJobs jobs) =>
            jobs.Cancel(AdminApi.Tenant(http)) ? Results.NoContent() : ApiProblems.NotFound("No backtest of this tenant is running."))
            .WithSummary("Cancels the tenant's running backtest.");
    }
}
