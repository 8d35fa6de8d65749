using System.Globalization;
using System.Text.Json.Nodes;

namespace RulesMfa.Engine.Context;

/// <summary>Projects a login into the Actions <c>event</c>, renaming Auth0 Rules fields to their Actions names.</summary>
public static class ActionsEventProjection
{
    /// <summary>The <c>request.geoip</c> fields an Action sees, in their order: the Rules name, then the Actions name.</summary>
    internal static readonly (string Rules, string Actions)[] GeoFields =
    [
        ("country_code", "countryCode"), ("country_code3", "countryCode3"), ("country_name", "countryName"),
        ("city_name", "cityName"), ("latitude", "latitude"), ("longitude", "longitude"), ("time_zone", "timeZone"),
        ("continent_code", "continentCode"), ("subdivision_code", "subdivisionCode"),
    ];

    /// <summary>Builds the <c>event</c> object; <paramref name="secrets"/> becomes <c>event.secrets</c>.</summary>
    public static JsonObject Project(LoginContext login, IReadOnlyDictionary<string, string> secrets)
    {
        var context = login.Context;
        var request = context["request"] as JsonObject;
        var query = request?["query"] as JsonObject;

        var projected = new JsonObject
        {
            ["user"] = ProjectUser(login.User),
            ["client"] = new JsonObject
            {
                ["client_id"] = Copy(context["clientID"]),
                ["name"] = Copy(context["clientName"]),
                ["metadata"] = Copy(context["clientMetadata"]) ?? new JsonObject(),
            },
            ["connection"] = new JsonObject
            {
                ["id"] = Copy(context["connectionID"]),
                ["name"] = Copy(context["connection"]),
                ["strategy"] = Copy(context["connectionStrategy"]),
                ["metadata"] = Copy(context["connectionMetadata"]) ?? new JsonObject(),
            },
            ["request"] = ProjectRequest(request),
            ["transaction"] = new JsonObject
            {
                ["protocol"] = Copy(context["protocol"]),
                ["acr_values"] = SplitSpaces(query?["acr_values"]),
                ["prompt"] = SplitSpaces(query?["prompt"]),
                ["requested_scopes"] = SplitSpaces(query?["scope"]),
                ["redirect_uri"] = Copy(query?["redirect_uri"]),
                ["response_type"] = SplitSpaces(query?["response_type"]),
                ["state"] = Copy(query?["state"]),
                ["ui_locales"] = SplitSpaces(query?["ui_locales"]),
            },
            ["authentication"] = ProjectAuthentication(context["authentication"] as JsonObject, context["riskAssessment"]),
            ["stats"] = new JsonObject { ["logins_count"] = Copy((context["stats"] as JsonObject)?["loginsCount"]) ?? 0 },
            ["tenant"] = new JsonObject { ["id"] = Copy(context["tenant"]) },
            ["session"] = context["sessionID"] is null ? null : new JsonObject { ["id"] = Copy(context["sessionID"]) },
            ["secrets"] = new JsonObject(secrets.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))),
        };
        return projected;
    }

    private static JsonObject ProjectUser(JsonObject user)
    {
        var projected = (JsonObject)user.DeepClone();
        if (projected["app_metadata"] is not JsonObject)
        {
            projected["app_metadata"] = new JsonObject();
        }

        if (projected["user_metadata"] is not JsonObject)
        {
            projected["user_metadata"] = new JsonObject();
        }

        return projected;
    }

    private static JsonObject ProjectRequest(JsonObject? request)
    {
        var geo = request?["geoip"] as JsonObject;
        return new JsonObject
        {
            ["ip"] = Copy(request?["ip"]),
            ["hostname"] = Copy(request?["hostname"]),
            ["user_agent"] = Copy(request?["userAgent"]),
            ["method"] = Copy(request?["method"]),
            ["language"] = Copy(request?["language"]),
            ["query"] = Copy(request?["query"]) ?? new JsonObject(),
            ["body"] = Copy(request?["body"]) ?? new JsonObject(),
            ["geoip"] = geo is null
                ? new JsonObject()
                : new JsonObject(GeoFields.Where(field => geo.ContainsKey(field.Rules))
                    .Select(field => KeyValuePair.Create(field.Actions, Copy(geo[field.Rules])))),
        };
    }

    private static JsonObject ProjectAuthentication(JsonObject? authentication, JsonNode? riskAssessment)
    {
        var methods = new JsonArray();
        if (authentication?["methods"] is JsonArray rulesMethods)
        {
            foreach (var method in rulesMethods.OfType<JsonObject>())
            {
                var projected = (JsonObject)method.DeepClone();
                projected["timestamp"] = ToIsoTimestamp(method["timestamp"]);
                methods.Add(projected);
            }
        }

        return new JsonObject
        {
            ["methods"] = methods,
            ["riskAssessment"] = Copy(authentication?["riskAssessment"] ?? riskAssessment),
        };
    }

    private static JsonNode? ToIsoTimestamp(JsonNode? timestamp) => IsoTimestamp(timestamp) ?? Copy(timestamp);

    private static readonly double MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    private static readonly double MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// A method's timestamp (Unix milliseconds in the Rules view) as the Actions' ISO string; null when not a number of a
    /// representable date, year 1 to 9999 (then it is kept as it is: 1e300 threw, failing the console's run with a 500).
    /// </summary>
    internal static string? IsoTimestamp(JsonNode? timestamp) =>
        timestamp is JsonValue value && value.TryGetValue<double>(out var milliseconds) && milliseconds >= MinUnixMilliseconds && milliseconds <= MaxUnixMilliseconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : null;

    private static JsonArray SplitSpaces(JsonNode? value) => new(Words(value).Select(part => (JsonNode?)part).ToArray());

    /// <summary>A space-separated query parameter (<c>acr_values</c>, <c>scope</c>...) as the Actions' list; empty when not a string.</summary>
    internal static string[] Words(JsonNode? value)
    {
        var text = value is JsonValue scalar && scalar.TryGetValue<string>(out var s) ? s : null;
        return (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static JsonNode? Copy(JsonNode? node) => node?.DeepClone();
}
