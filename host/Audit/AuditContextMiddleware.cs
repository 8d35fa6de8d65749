using Microsoft.AspNetCore.WebUtilities;
using RulesMfa.Host.Tenants;
using Serilog.Context;

namespace RulesMfa.Host.Audit;

/// <summary>
/// Pushes the request's tenant, client IP and OAuth client onto every log event it causes (set once, at the edge).
/// The client comes from <c>client_id</c>, or from the authorization request a hosted page's <c>returnUrl</c> continues.
/// </summary>
public sealed class AuditContextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        using (LogContext.PushProperty("TenantId", TenantContext.Of(http)?.Id))
        using (LogContext.PushProperty("ClientIp", http.Connection.RemoteIpAddress?.ToString()))
        using (LogContext.PushProperty("ClientId", ClientIdOf(http.Request)))
        {
            await next(http);
        }
    }

    private static string? ClientIdOf(HttpRequest request)
    {
        if (request.Query.TryGetValue("client_id", out var clientId))
        {
            return clientId.ToString();
        }

        var returnUrl = request.Query.TryGetValue("returnUrl", out var fromQuery) ? fromQuery.ToString()
            : request.Query.TryGetValue("ReturnUrl", out var fromLogin) ? fromLogin.ToString() : null;
        var query = returnUrl?.IndexOf('?') is int start and >= 0 ? QueryHelpers.ParseQuery(returnUrl[start..]) : null;
        return query is not null && query.TryGetValue("client_id", out var continued) ? continued.ToString() : null;
    }
}
