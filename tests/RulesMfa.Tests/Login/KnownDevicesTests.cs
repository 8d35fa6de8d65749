using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using RulesMfa.Host.Login;
using RulesMfa.Tests.Factors;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Login;

public sealed class KnownDevicesTests
{
    private readonly ManualTimeProvider clock = new(Some.Now);
    private readonly EphemeralDataProtectionProvider protection = new();
    private const string Hash = "AQAAAAIAAYagAAAAEOld";

    [Test]
    public void Read_TheCookieOfThisAccount_IsItsDeviceId_AndOfNoOtherAccountOrTenantOrAfterItsLifetime()
    {
        var devices = new KnownDevices(protection, clock);
        var cookie = Issued(devices, "acme", " Ada@Example.com ", deviceId: null);

        var same = devices.Read(With(cookie), "acme", "ada@example.com", Hash);
        var otherAccount = devices.Read(With(cookie), "acme", "bob@example.com", Hash);
        var otherTenant = devices.Read(With(cookie), "other", "ada@example.com", Hash);
        var tampered = devices.Read(With(cookie[..^4] + "AAAA"), "acme", "ada@example.com", Hash);
        clock.Advance(KnownDevices.Lifetime);
        var expired = devices.Read(With(cookie), "acme", "ada@example.com", Hash);

        Assert.Multiple(() =>
        {
            Assert.That(same, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(otherAccount, Is.Null);
            Assert.That(otherTenant, Is.Null);
            Assert.That(tampered, Is.Null);
            Assert.That(expired, Is.Null);
        });
    }

    [Test]
    public void Write_ForAKnownBrowser_KeepsItsDeviceId()
    {
        var devices = new KnownDevices(protection, clock);

        var renewed = Issued(devices, "acme", "ada@example.com", deviceId: "0123456789abcdef0123456789abcdef");

        Assert.That(devices.Read(With(renewed), "acme", "ada@example.com", Hash), Is.EqualTo("0123456789abcdef0123456789abcdef"));
    }

    // Cookies gathered with a leaked password must give no counters of their own once the owner has changed it: each
    // would bring the account's free failures again, one set per cookie.
    [Test]
    public void Read_AfterThePasswordChanged_IsNull()
    {
        var devices = new KnownDevices(protection, clock);
        var cookie = Issued(devices, "acme", "ada@example.com", deviceId: null);

        var changed = devices.Read(With(cookie), "acme", "ada@example.com", "AQAAAAIAAYagAAAAENew");

        Assert.That(changed, Is.Null);
    }

    private static string Issued(KnownDevices devices, string tenant, string email, string? deviceId)
    {
        var http = new DefaultHttpContext();
        devices.Write(http, tenant, email, Hash, deviceId);
        var header = http.Response.Headers.SetCookie.ToString();
        var value = header[(KnownDevices.CookieName.Length + 1)..header.IndexOf(';', StringComparison.Ordinal)];
        return Uri.UnescapeDataString(value);
    }

    private static HttpContext With(string cookie)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = $"{KnownDevices.CookieName}={Uri.EscapeDataString(cookie)}";
        return http;
    }
}
