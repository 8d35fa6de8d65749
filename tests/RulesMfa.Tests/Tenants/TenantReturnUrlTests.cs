using Microsoft.AspNetCore.Http;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Tests.Tenants;

public sealed class TenantReturnUrlTests
{
    [TestCase("/acme/connect/authorize?client_id=web&redirect_uri=https%3A%2F%2Fapp%2F..%2Fx")]
    [TestCase("/acme/")]
    [TestCase("/acme")]
    [TestCase("/acme?x=1")]
    [TestCase("/acme/admin/sign-in#top")]
    [TestCase("/acme/mfa?returnUrl=/globex/login")]
    public void IsOfTenant_APathOfTheTenant_IsTrue(string url) =>
        Assert.That(TenantReturnUrl.IsOfTenant(url, new PathString("/acme")), Is.True);

    [TestCase("/globex/login")]
    [TestCase("/acme2/login")]
    [TestCase("/ACME/login")]
    [TestCase("/acme/../globex/login")]
    [TestCase("/acme/%2e%2e/globex/login")]
    [TestCase("/acme/.%2E/globex/login")]
    [TestCase("/acme/%2E./globex/login")]
    [TestCase("/acme/..")]
    [TestCase("/acme/./../globex")]
    [TestCase("/acme/..\\globex")]
    [TestCase("/acme/%5c..%5cglobex")]
    [TestCase("/acme/.\t./globex")]
    [TestCase("/acme/.%09./globex")]
    [TestCase("//evil.example/acme/")]
    [TestCase("https://evil.example/acme/")]
    [TestCase("~/acme/")]
    [TestCase("")]
    [TestCase(null)]
    public void IsOfTenant_AnotherTenantOrSiteOrAPathThatLeavesTheTenant_IsFalse(string? url) =>
        Assert.That(TenantReturnUrl.IsOfTenant(url, new PathString("/acme")), Is.False);

    [Test]
    public void Resolve_AUrlOfAnotherTenant_IsTheTenantsHome()
    {
        var request = new DefaultHttpContext().Request;
        request.PathBase = "/acme";

        Assert.Multiple(() =>
        {
            Assert.That(TenantReturnUrl.Resolve("/globex/login", request), Is.EqualTo("/acme/"));
            Assert.That(TenantReturnUrl.Resolve("/acme/connect/authorize?x=1", request), Is.EqualTo("/acme/connect/authorize?x=1"));
        });
    }
}
