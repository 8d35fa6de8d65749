namespace RulesMfa.Host.Tenants;

/// <summary>
/// Moves the tenant segment from the path into the path base (<c>/demo/connect/authorize</c> becomes
/// PathBase <c>/demo</c>, Path <c>/connect/authorize</c>), so each tenant has its own issuer, endpoints and
/// cookies. Paths without a known tenant get 404, except the host's own (<c>/health</c>, <c>/ready</c>).
/// </summary>
public sealed class TenantPathMiddleware(RequestDelegate next, TenantCatalog tenants)
{
    private static readonly string[] HostPaths = ["/health", "/ready", "/metrics"];

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (HostPaths.Contains(path, StringComparer.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }

        var segments = path.Split('/', 3, StringSplitOptions.None);
        var tenantId = segments.Length > 1 ? segments[1] : "";
        if (tenantId.Length == 0 || !await tenants.ExistsAsync(tenantId, http.RequestAborted))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        new TenantContext(tenantId).AttachTo(http);
        http.Request.PathBase = http.Request.PathBase.Add("/" + tenantId);
        http.Request.Path = "/" + (segments.Length > 2 ? segments[2] : "");
        await next(http);
    }
}
