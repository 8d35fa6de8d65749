namespace RulesMfa.Host.MfaApi;

/// <summary>
/// The audience of access tokens for the MFA API: <c>{issuer}/mfa/</c>, the base of the tenant's MFA endpoints, as
/// Auth0's <c>https://{domain}/mfa/</c> is of its own (the issuer follows <c>Server:PublicOrigin</c> when it is set).
/// Such tokens live 10 minutes.
/// </summary>
public static class MfaAudience
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    public static string For(HttpContext http)
    {
        var origin = http.RequestServices.GetRequiredService<IConfiguration>()["Server:PublicOrigin"] is { Length: > 0 } pinned
            ? pinned.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host}";
        return $"{origin}{http.Request.PathBase}/mfa/";
    }
}
