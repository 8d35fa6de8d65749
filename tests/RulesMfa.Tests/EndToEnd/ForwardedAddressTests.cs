using RulesMfa.Host.Tenants;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.EndToEnd;

/// <summary>The client IP and its country reach the rules; X-Forwarded-For counts only from a trusted proxy.</summary>
[NonParallelizable]
public sealed class ForwardedAddressTests
{
    private const string DenyUnitedStates =
        "function (user, context, callback) { const geo = context.request.geoip; if (geo.country_code === 'US') return callback(new Error('No logins from ' + context.request.ip + ' in ' + geo.country_code)); callback(null, user, context); }";

    [TestCase(true)]
    [TestCase(false)]
    public async Task Login_ForwardedAddress_IsUsedOnlyFromATrustedProxy(bool proxyTrusted)
    {
        string[] trust = proxyTrusted ? ["--Server:TrustedProxies:0", "127.0.0.1"] : [];
        await using var server = await RulesMfaServer.StartAsync([.. trust, "--GeoIp:DatabasePath", RepositoryPaths.GeoIpDatabase]);
        await server.AddTenantAsync("geo");
        await server.AddUserAsync("geo", "ada@geo.example", "a long enough password");
        await server.SetRulesAsync("geo", ("deny-us", DenyUnitedStates));
        await using var app = await RelyingParty.StartAsync(server, "geo", "geo-web");
        using var browser = new FormBrowser(new Dictionary<string, string> { ["X-Forwarded-For"] = "8.8.8.8" });

        var result = await LoginFlow.SignInAsync(browser, app, "ada@geo.example", "a long enough password");

        if (proxyTrusted)
        {
            Assert.That(result.Text("error-description"), Is.EqualTo("No logins from 8.8.8.8 in US"), result.Html);
        }
        else
        {
            Assert.That(result.Url.ToString(), Is.EqualTo(app.BaseUrl + "/"), result.Html);
            Assert.That(LoginFlow.Amr(await LoginFlow.MeAsync(browser, app)), Is.EqualTo(new[] { "pwd" }), "an untrusted X-Forwarded-For is ignored");
        }
    }
}
