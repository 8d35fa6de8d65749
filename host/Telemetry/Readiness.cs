using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Telemetry;

/// <summary>
/// <c>/ready</c>: 200 when a trivial query on the tenants table answers, 503 otherwise (for a load balancer's health check).
/// The answer says no more than that: never the provider, path or error, which would tell configuration to anyone.
/// </summary>
internal static class Readiness
{
    public const string Path = "/ready";

    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (RulesMfaDbContext database, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            try
            {
                // A table, not "SELECT 1": SQLite answers that even where the data file was lost and an empty one created.
                await database.Tenants.AsNoTracking().Select(tenant => tenant.Id).FirstOrDefaultAsync(cancellationToken);
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception failure) when (failure is DbException or InvalidOperationException or TimeoutException)
            {
                loggers.CreateLogger(typeof(Readiness)).DatabaseNotReady(failure.GetType().Name);
                return Results.Json(new { status = "unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return endpoints;
    }
}
