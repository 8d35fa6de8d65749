using System.Net;
using System.Text.Json.Nodes;
using MaxMind.Db;

namespace RulesMfa.Host.Login;

/// <summary>
/// Looks an IP up in the MaxMind-format database named by <c>GeoIp:DatabasePath</c> and returns DESIGN's
/// <c>context.request.geoip</c> fields. Reads MaxMind's GeoIP2/GeoLite2 layout and ip-location-db's flat layout
/// (<c>country_code</c>, <c>city</c>, ...). Without a database, or for an address it does not know, the result is empty.
/// </summary>
public sealed class GeoIpLookup : IDisposable
{
    private readonly Reader? reader;

    public GeoIpLookup(IConfiguration configuration, ILogger<GeoIpLookup> logger)
    {
        var path = configuration["GeoIp:DatabasePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        reader = new Reader(path, FileAccessMode.MemoryMapped);
        logger.LogInformation("GeoIP lookups use {GeoIpDatabase} ({GeoIpDatabaseType})", path, reader.Metadata.DatabaseType);
    }

    /// <summary>Whether a database is configured (<c>GeoIp:DatabasePath</c>); without one every lookup is empty.</summary>
    public bool IsConfigured => reader is not null;

    public JsonObject Lookup(IPAddress? address)
    {
        var geo = new JsonObject();
        if (reader is null || address is null)
        {
            return geo;
        }

        var record = reader.Find<Dictionary<string, object>>(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        if (record is null)
        {
            return geo;
        }

        Put(geo, "country_code", Text(record, "country_code") ?? Text(Child(record, "country"), "iso_code"));
        Put(geo, "country_name", Text(Child(Child(record, "country"), "names"), "en"));
        Put(geo, "city_name", Text(record, "city") ?? Text(Child(Child(record, "city"), "names"), "en"));
        Put(geo, "continent_code", Text(Child(record, "continent"), "code"));
        var location = Child(record, "location") ?? record;
        Put(geo, "latitude", Number(location, "latitude"));
        Put(geo, "longitude", Number(location, "longitude"));
        Put(geo, "time_zone", Text(location, "time_zone") ?? Text(record, "timezone"));
        return geo;
    }

    public void Dispose() => reader?.Dispose();

    private static Dictionary<string, object>? Child(Dictionary<string, object>? record, string key) =>
        record is not null && record.TryGetValue(key, out var value) ? value as Dictionary<string, object> : null;

    private static string? Text(Dictionary<string, object>? record, string key) =>
        record is not null && record.TryGetValue(key, out var value) ? value as string : null;

    private static double? Number(Dictionary<string, object>? record, string key) =>
        record is not null && record.TryGetValue(key, out var value) && value is IConvertible convertible && value is not string
            ? convertible.ToDouble(System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static void Put(JsonObject geo, string name, string? value)
    {
        if (value is not null)
        {
            geo[name] = value;
        }
    }

    private static void Put(JsonObject geo, string name, double? value)
    {
        if (value is not null)
        {
            geo[name] = value;
        }
    }
}
