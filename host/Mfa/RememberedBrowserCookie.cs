using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// The remember-browser cookie: the random token of <see cref="RememberedBrowsers"/>, signed and encrypted with
/// Data Protection, so a value this server did not issue is refused before any database lookup.
/// </summary>
public sealed class RememberedBrowserCookie(IDataProtectionProvider protection)
{
    private readonly IDataProtector protector = protection.CreateProtector("RulesMfa.RememberBrowser");

    public void Write(HttpContext http, string token, TimeSpan lifetime) => http.Response.Cookies.Append(RememberedBrowsers.CookieName, protector.Protect(token), new CookieOptions
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/",
        Expires = DateTimeOffset.UtcNow + lifetime,
    });

    /// <summary>The token in the request's cookie, or null when there is none or it was not issued here.</summary>
    public string? Read(HttpContext http)
    {
        var value = http.Request.Cookies[RememberedBrowsers.CookieName];
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
