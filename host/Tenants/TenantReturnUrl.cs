namespace RulesMfa.Host.Tenants;

/// <summary>
/// Where a tenant's pages send the browser back to (their <c>returnUrl</c>, which the user can edit and a link can carry
/// in): a URL under the tenant's own path, else the tenant's home. <c>Url.IsLocalUrl</c> alone lets in every tenant of the
/// server (<c>/other-tenant/login</c>), also through a dot segment that the browser resolves (<c>/acme/../other/</c>,
/// <c>/acme/%2e%2e/other/</c>), and another tenant's branded page can ask for the password again.
/// </summary>
public static class TenantReturnUrl
{
    /// <summary><paramref name="url"/> when it stays in the tenant of <paramref name="request"/>, else the tenant's home (<c>{PathBase}/</c>).</summary>
    public static string Resolve(string? url, HttpRequest request) => IsOfTenant(url, request.PathBase) ? url! : $"{request.PathBase}/";

    /// <summary>
    /// True for a path under <paramref name="pathBase"/> (the tenant's), with a query or not, that no browser reads as
    /// another path: no dot segment (plain or percent-encoded), no backslash, no control character.
    /// </summary>
    public static bool IsOfTenant(string? url, PathString pathBase)
    {
        if (string.IsNullOrEmpty(url) || !pathBase.HasValue || url.Any(char.IsControl))
        {
            return false;
        }

        var end = url.IndexOfAny(['?', '#']);
        var rawPath = end < 0 ? url : url[..end];
        if (rawPath != pathBase.Value && !rawPath.StartsWith(pathBase.Value + "/", StringComparison.Ordinal))
        {
            return false;
        }

        // Browsers resolve percent-encoded dots as dots (WHATWG URL), so the segments are read decoded.
        var path = Uri.UnescapeDataString(rawPath);
        return !path.Contains('\\') && !path.Any(char.IsControl) && !path.Split('/').Any(segment => segment is "." or "..");
    }
}
