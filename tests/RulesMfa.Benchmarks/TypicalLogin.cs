using System.Text.Json.Nodes;

namespace RulesMfa.Benchmarks;

/// <summary>
/// The benchmark's login: a verified admin of the payroll application, logging in from an untrusted IP in a
/// country they have not used, on a weekday afternoon, whose last MFA was days ago, with the application
/// asking for MFA in <c>acr_values</c>. No rule denies it, so every rule runs and does real work; it ends in MFA.
/// </summary>
public static class TypicalLogin
{
    /// <summary>The clock of the rules: Tuesday 2025-03-11 14:30 UTC, within the payroll office hours.</summary>
    public static readonly DateTimeOffset Now = new(2025, 3, 11, 14, 30, 0, TimeSpan.Zero);

    /// <summary>The login in Auth0's Rules view: <c>{"user": {...}, "context": {...}}</c>.</summary>
    public const string Json = """
        {
          "user": {
            "user_id": "auth0|65f1c0ffee5a1b2c3d4e5f60",
            "email": "jane.doe@acme.example",
            "email_verified": true,
            "name": "Jane Doe",
            "given_name": "Jane",
            "family_name": "Doe",
            "nickname": "jane.doe",
            "picture": "https://s.gravatar.com/avatar/2c7d99fe281ecd3bcd65ab915bac6dd5?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fjd.png",
            "created_at": "2021-04-12T09:30:00.000Z",
            "updated_at": "2025-03-10T08:02:11.000Z",
            "last_login": "2025-03-10T08:02:11.000Z",
            "last_ip": "203.0.113.41",
            "logins_count": 342,
            "identities": [
              { "provider": "auth0", "user_id": "65f1c0ffee5a1b2c3d4e5f60", "connection": "Username-Password-Authentication", "isSocial": false },
              { "provider": "google-oauth2", "user_id": "109876543210987654321", "connection": "google-oauth2", "isSocial": true }
            ],
            "app_metadata": {
              "roles": ["employee", "payroll-approver", "admin"],
              "known_countries": ["US", "DE", "NL"],
              "department": "finance",
              "plan": "enterprise"
            },
            "user_metadata": {
              "use_mfa": true,
              "preferred_language": "en",
              "theme": "dark",
              "phone_verified": true
            },
            "multifactor": ["guardian"]
          },
          "context": {
            "tenant": "acme",
            "clientID": "payroll-spa",
            "clientName": "Payroll",
            "clientMetadata": { "tier": "internal", "owner": "finance" },
            "connection": "Username-Password-Authentication",
            "connectionID": "con_Xq1b2c3d4e5f6g7h",
            "connectionStrategy": "auth0",
            "connectionMetadata": {},
            "protocol": "oidc-basic-profile",
            "sessionID": "mCjhE5S2cD0bLkq7vN1u9WzT3yAeR8pX",
            "stats": { "loginsCount": 342 },
            "request": {
              "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36",
              "ip": "177.71.207.19",
              "hostname": "login.acme.example",
              "method": "GET",
              "language": "en-US,en;q=0.9,pt-BR;q=0.8",
              "query": {
                "client_id": "payroll-spa",
                "scope": "openid profile email",
                "response_type": "code",
                "redirect_uri": "https://payroll.acme.example/callback",
                "state": "g6Fo2SBwX0RzVWxHc2FfM1ZQbTZ1",
                "nonce": "a9c1e5f7b3d2",
                "acr_values": "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
                "ui_locales": "en"
              },
              "body": {},
              "geoip": {
                "country_code": "BR",
                "country_code3": "BRA",
                "country_name": "Brazil",
                "city_name": "Sao Paulo",
                "latitude": -23.5475,
                "longitude": -46.63611,
                "time_zone": "America/Sao_Paulo",
                "continent_code": "SA",
                "subdivision_code": "SP"
              }
            },
            "authentication": {
              "methods": [
                { "name": "pwd", "timestamp": 1741703360000 },
                { "name": "mfa", "timestamp": 1741425120000 }
              ]
            },
            "riskAssessment": {
              "confidence": "medium",
              "version": "1",
              "assessments": {
                "UntrustedIP": { "confidence": "high", "code": "not_found_on_deny_list" },
                "NewDevice": { "confidence": "medium", "code": "initial_login" },
                "ImpossibleTravel": { "confidence": "medium", "code": "substantial_travel_from_last_login" }
              }
            }
          }
        }
        """;

    /// <summary>A fresh, mutable copy of the login's JSON.</summary>
    public static JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();
}

/// <summary>The facts of a login the hand-written policy needs, parsed once from the Rules view.</summary>
public sealed record LoginFacts(
    string ClientId,
    string Ip,
    bool EmailVerified,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> KnownCountries,
    bool UseMfa,
    string? CountryCode,
    IReadOnlyList<string> AcrValues,
    IReadOnlyList<AuthenticationMethod> Methods,
    string? RiskConfidence)
{
    /// <summary>Reads the facts from <c>{"user": {...}, "context": {...}}</c>.</summary>
    public static LoginFacts FromRulesView(JsonObject root)
    {
        var user = root["user"]?.AsObject() ?? [];
        var context = root["context"]?.AsObject() ?? [];
        var request = context["request"] as JsonObject;
        var appMetadata = user["app_metadata"] as JsonObject;
        var userMetadata = user["user_metadata"] as JsonObject;
        var authentication = context["authentication"] as JsonObject;
        var risk = (authentication?["riskAssessment"] ?? context["riskAssessment"]) as JsonObject;

        return new LoginFacts(
            ClientId: String(context["clientID"]) ?? "",
            Ip: String(request?["ip"]) ?? "",
            EmailVerified: Bool(user["email_verified"]),
            Roles: Strings(appMetadata?["roles"]),
            KnownCountries: Strings(appMetadata?["known_countries"]),
            UseMfa: Bool(userMetadata?["use_mfa"]),
            CountryCode: String((request?["geoip"] as JsonObject)?["country_code"]),
            AcrValues: (String((request?["query"] as JsonObject)?["acr_values"]) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Methods: (authentication?["methods"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(method => new AuthenticationMethod(String(method["name"]) ?? "", Milliseconds(method["timestamp"])))
                .ToList(),
            RiskConfidence: String(risk?["confidence"]));
    }

    private static string? String(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long Milliseconds(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<double>(out var number) && double.IsFinite(number) => (long)number,
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        _ => 0,
    };

    private static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static string[] Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(String).OfType<string>().ToArray() : [];
}

/// <summary>One entry of <c>context.authentication.methods</c>: a method's name and when it was used (Unix milliseconds).</summary>
public sealed record AuthenticationMethod(string Name, long Timestamp);
