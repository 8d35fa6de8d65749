using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace RulesMfa.Host.Login;

/// <summary>
/// The browsers that have signed in as an account (OWASP's device cookies): after a right password the password page
/// gives the browser a cookie naming the tenant, the account and a random device id, signed and encrypted with Data
/// Protection, for <see cref="Lifetime"/>, and bound to the account's password hash: a changed password (after a leak, the
/// owner's or an admin's reset) makes every browser known with the old one unknown, so cookies gathered with a leaked
/// password give no counters of their own to guess the new one on. <see cref="PasswordLockout"/> counts a browser that shows it for the account it
/// signs in as on a counter of its own instead of the account's: wrong passwords anyone sends for a known email block the
/// account everywhere else, but no longer lock its owner out of the browsers they already signed in with.
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>The name of the cookie.</summary>
    public const string CookieName = "rulesmfa.kd";

    /// <summary>How long a browser stays known after its last right password: 30 days.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private readonly IDataProtector protector = protection.CreateProtector("RulesMfa.KnownDevice");

    /// <summary>
    /// The device id of the request's cookie when this server issued it for <paramref name="accountEmail"/> of
    /// <paramref name="tenantId"/> while its password hash was <paramref name="passwordHash"/> (the stored one), and it has
    /// not expired; otherwise null.
    /// </summary>
    public string? Read(HttpContext http, string tenantId, string accountEmail, string passwordHash)
    {
        var value = http.Request.Cookies[CookieName];
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        string payload;
        try
        {
            payload = protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('\n');
        return parts.Length == 5 && parts[0] == tenantId && parts[1] == Normalized(accountEmail) && parts[4] == Stamp(passwordHash)
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) && clock.GetUtcNow().ToUnixTimeSeconds() < expires
            ? parts[2]
            : null;
    }

    /// <summary>Makes the browser known for <paramref name="accountEmail"/> with its <paramref name="passwordHash"/> for another <see cref="Lifetime"/>, keeping <paramref name="deviceId"/> when it was known already.</summary>
    public void Write(HttpContext http, string tenantId, string accountEmail, string passwordHash, string? deviceId)
    {
        var id = deviceId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = clock.GetUtcNow() + Lifetime;
        var payload = string.Join('\n', tenantId, Normalized(accountEmail), id, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Stamp(passwordHash));
        http.Response.Cookies.Append(CookieName, protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = http.Request.PathBase.HasValue ? http.Request.PathBase.Value : "/",
            Expires = expires,
            IsEssential = true,
        });
    }

    private static string Normalized(string email) => email.Trim().ToLowerInvariant();

    private static string Stamp(string passwordHash) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)));
}
