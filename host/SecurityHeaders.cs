namespace RulesMfa.Host;

/// <summary>
/// Headers every response carries: no page of this server may be framed (its forms take passwords and codes, so a framing
/// site could trick a click), no content type is guessed, and a page's path and query (an authorization request's
/// parameters) never leave as a referrer to another origin, such as a tenant's logo host.
/// </summary>
internal static class SecurityHeaders
{
    public const string FrameAncestors = "frame-ancestors 'none'";

    public const string FrameAncestorsSelf = "frame-ancestors 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            var policy = headers.ContentSecurityPolicy.ToString();
            headers.XFrameOptions = policy.Contains(FrameAncestorsSelf, StringComparison.Ordinal) ? "SAMEORIGIN" : "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";

            // A page with a policy of its own keeps it: the console's, and the hosted pages' (Branding/HostedPagePolicy, which
            // allows only scripts carrying the response's nonce). Framing is refused in every case but the console's branding
            // preview, which only the console itself may frame.
            if (!policy.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                headers.ContentSecurityPolicy = policy.Length == 0 ? FrameAncestors : $"{policy}; {FrameAncestors}";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });
}
