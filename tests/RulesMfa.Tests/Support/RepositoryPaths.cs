namespace RulesMfa.Tests.Support;

/// <summary>Finds folders of the repository from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "rules-samples");

    /// <summary>The public-domain country database that test.sh installs with npm into tests/geoip.</summary>
    public static string GeoIpDatabase
    {
        get
        {
            var path = Path.Combine(Root, "tests", "geoip", "node_modules", "@ip-location-db", "geo-whois-asn-country-mmdb", "geo-whois-asn-country.mmdb");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run ./test.sh, which installs it with npm (cd tests/geoip && npm ci).");
        }
    }

    /// <summary>axe-core's browser script, which test.sh installs with npm into tests/a11y.</summary>
    public static string AxeCore
    {
        get
        {
            var path = Path.Combine(Root, "tests", "a11y", "node_modules", "axe-core", "axe.min.js");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run ./test.sh, which installs it with npm (cd tests/a11y && npm ci).");
        }
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RulesMfa.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("RulesMfa.sln not found above the test folder.");
    }
}
