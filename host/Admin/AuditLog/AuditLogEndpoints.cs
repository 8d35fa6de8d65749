namespace RulesMfa.Host.Admin.AuditLog;

/// <summary>
/// <c>GET /audit</c>: the audit log, newest first, as a JSON array (its shape since the first API); the next page's address is
/// in a <c>Link: &lt;...&gt;; rel="next"</c> header (RFC 8288) when there is one.
/// </summary>
internal static class AuditLogEndpoints
{
    public static IServiceCollection AddAuditLog(this IServiceCollection services) => services.AddScoped<AuditLogReader>();

    public static void MapAuditLog(this RouteGroupBuilder api) =>
        api.MapGet("/audit", async (HttpContext http, AuditLogReader reader, string? action, string? actor, string? from, string? to, string? before, string? limit) =>
        {
            var (query, errors) = AuditQuery.Parse(action, actor, from, to, before, limit);
            if (query is null)
            {
                return ApiProblems.Invalid(errors);
            }

            var page = await reader.PageAsync(AdminApi.Tenant(http), query, http.RequestAborted);
            if (page.Next is { } next)
            {
                var parameters = http.Request.Query.Where(pair => pair.Key != "before")
                    .Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value.ToString()))
                    .Append(KeyValuePair.Create("before", (string?)next.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{Microsoft.AspNetCore.Http.QueryString.Create(parameters)}>; rel=\"next\"";
            }

            return Results.Ok(page.Events);
        }).WithSummary(
            "Changes to rules, configuration, settings and users, newest first (?action= a type such as rule.saved or a family such as rule, " +
            "actor=, from=, to= ISO 8601, limit= 1 to 200, default 50); the next page is in the Link header (rel=\"next\", ?before=).");
}
