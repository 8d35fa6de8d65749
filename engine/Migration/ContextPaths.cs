namespace RulesMfa.Engine.Migration;

/// <summary>
/// Where a Rule's <c>context.*</c> reads live in an Action's <c>event</c> (DESIGN, "The Actions view"). The longest
/// listed prefix of a property chain wins; a chain with no listed prefix cannot be translated.
/// </summary>
internal static class ContextPaths
{
    private static readonly Dictionary<string, string> Paths = new(StringComparer.Ordinal)
    {
        ["tenant"] = "event.tenant.id",
        ["clientID"] = "event.client.client_id",
        ["clientName"] = "event.client.name",
        ["clientMetadata"] = "event.client.metadata",
        ["connection"] = "event.connection.name",
        ["connectionID"] = "event.connection.id",
        ["connectionStrategy"] = "event.connection.strategy",
        ["connectionMetadata"] = "event.connection.metadata",
        ["protocol"] = "event.transaction.protocol",
        ["stats"] = "event.stats",
        ["stats.loginsCount"] = "event.stats.logins_count",
        ["request.ip"] = "event.request.ip",
        ["request.hostname"] = "event.request.hostname",
        ["request.userAgent"] = "event.request.user_agent",
        ["request.query"] = "event.request.query",
        ["request.body"] = "event.request.body",
        ["request.geoip"] = "event.request.geoip",
        ["request.geoip.country_code"] = "event.request.geoip.countryCode",
        ["request.geoip.country_code3"] = "event.request.geoip.countryCode3",
        ["request.geoip.country_name"] = "event.request.geoip.countryName",
        ["request.geoip.city_name"] = "event.request.geoip.cityName",
        ["request.geoip.latitude"] = "event.request.geoip.latitude",
        ["request.geoip.longitude"] = "event.request.geoip.longitude",
        ["request.geoip.time_zone"] = "event.request.geoip.timeZone",
        ["request.geoip.continent_code"] = "event.request.geoip.continentCode",
        ["request.geoip.subdivision_code"] = "event.request.geoip.subdivisionCode",
        ["authentication"] = "event.authentication",
        ["riskAssessment"] = "event.authentication.riskAssessment",
    };

    /// <summary>
    /// The translation of the longest listed prefix of <paramref name="chain"/> (property names after <c>context</c>)
    /// and how many names it used, or null. A chain that ends inside a listed object whose fields are renamed
    /// (<c>context.request</c> alone, <c>context.request.geoip</c> read as a whole) is not listed unless safe.
    /// </summary>
    public static (string Path, int Used)? Translate(IReadOnlyList<string> chain)
    {
        for (var used = chain.Count; used > 0; used--)
        {
            if (Paths.TryGetValue(string.Join('.', chain.Take(used)), out var path))
            {
                return (path, used);
            }
        }

        return null;
    }
}
