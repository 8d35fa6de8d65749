using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using RulesMfa.Host.Login;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Login;

public sealed class GeoIpLookupTests
{
    private static GeoIpLookup Lookup(string? path) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["GeoIp:DatabasePath"] = path }).Build(),
        NullLogger<GeoIpLookup>.Instance);

    [TestCase("8.8.8.8", "US")]
    [TestCase("2001:4860:4860::8888", "US")]
    [TestCase("::ffff:8.8.8.8", "US")]
    public void Lookup_PublicAddress_GivesItsCountry(string address, string country)
    {
        using var geoIp = Lookup(RepositoryPaths.GeoIpDatabase);

        var geo = geoIp.Lookup(IPAddress.Parse(address));

        Assert.That(geo["country_code"]?.GetValue<string>(), Is.EqualTo(country));
    }

    [Test]
    public void Lookup_LoopbackAddress_IsEmpty()
    {
        using var geoIp = Lookup(RepositoryPaths.GeoIpDatabase);

        Assert.That(geoIp.Lookup(IPAddress.Loopback), Is.Empty);
    }

    [Test]
    public void Lookup_WithoutADatabase_IsEmpty()
    {
        using var geoIp = Lookup(null);

        Assert.That(geoIp.Lookup(IPAddress.Parse("8.8.8.8")), Is.Empty);
    }
}
