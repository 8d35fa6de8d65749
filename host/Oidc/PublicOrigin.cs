using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace RulesMfa.Host.Oidc;

/// <summary>
/// Pins the tenants' issuers to <c>Server:PublicOrigin</c> (for instance <c>https://login.example.com</c>) so that
/// a spoofed <c>Host</c> header cannot change the issuer or the endpoints. Without it the issuer follows the
/// request, which is only safe on loopback and in development.
/// </summary>
public static class PublicOrigin
{
    public static void Configure(OpenIddictServerBuilder server, string? origin)
    {
        if (string.IsNullOrWhiteSpace(origin))
        {
            return;
        }

        var pinned = new Uri(origin.TrimEnd('/') + "/", UriKind.Absolute);
        server.AddEventHandler<ProcessRequestContext>(handler => handler
            .UseInlineHandler(context =>
            {
                var request = context.Transaction.GetHttpRequest()!;
                var pathBase = request.PathBase.Value?.TrimStart('/') ?? "";
                // Same shape as OpenIddict's own: the base without a trailing slash, so the issuer has none.
                context.Transaction.BaseUri = new Uri(pinned, pathBase);
                context.Transaction.RequestUri = new Uri(pinned, pathBase + request.Path + request.QueryString);
                return default;
            })
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ResolveRequestUri.Descriptor.Order + 1));
    }
}
