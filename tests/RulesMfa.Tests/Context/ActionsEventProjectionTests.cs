using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Context;

public sealed class ActionsEventProjectionTests
{
    private static JsonObject Project(LoginContext login) =>
        ActionsEventProjection.Project(login, new Dictionary<string, string> { ["KEY"] = "value" });

    [Test]
    public void Project_RenamesRulesFieldsToActionsNames()
    {
        var login = Some.Login(context: """
            {"request": {"ip": "2001:db8::1", "hostname": "id.example.com", "userAgent": "UA/1",
                         "query": {"acr_values": "http://schemas.openid.net/pape/policies/2007/06/multi-factor", "prompt": "login consent", "scope": "openid email"},
                         "geoip": {"country_code": "DE", "country_code3": "DEU", "country_name": "Germany", "city_name": "Berlin",
                                   "latitude": 52.5, "longitude": 13.4, "time_zone": "Europe/Berlin", "continent_code": "EU", "subdivision_code": "BE"}},
             "clientMetadata": {"tier": "gold"}, "connectionID": "con_1", "riskAssessment": {"confidence": "low"}}
            """);

        var projected = Project(login);

        Assert.Multiple(() =>
        {
            Assert.That(projected["client"]!.ToJsonString(), Is.EqualTo("""{"client_id":"client-web","name":"Web","metadata":{"tier":"gold"}}"""));
            Assert.That(projected["connection"]!.ToJsonString(), Is.EqualTo("""{"id":"con_1","name":"Username-Password-Authentication","strategy":"auth0","metadata":{}}"""));
            Assert.That(projected["request"]!["ip"]!.GetValue<string>(), Is.EqualTo("2001:db8::1"));
            Assert.That(projected["request"]!["user_agent"]!.GetValue<string>(), Is.EqualTo("UA/1"));
            Assert.That(projected["request"]!["geoip"]!.ToJsonString(), Is.EqualTo(
                """{"countryCode":"DE","countryCode3":"DEU","countryName":"Germany","cityName":"Berlin","latitude":52.5,"longitude":13.4,"timeZone":"Europe/Berlin","continentCode":"EU","subdivisionCode":"BE"}"""));
            Assert.That(projected["transaction"]!["acr_values"]!.ToJsonString(), Is.EqualTo("""["http://schemas.openid.net/pape/policies/2007/06/multi-factor"]"""));
            Assert.That(projected["transaction"]!["prompt"]!.ToJsonString(), Is.EqualTo("""["login","consent"]"""));
            Assert.That(projected["transaction"]!["requested_scopes"]!.ToJsonString(), Is.EqualTo("""["openid","email"]"""));
            Assert.That(projected["transaction"]!["protocol"]!.GetValue<string>(), Is.EqualTo("oidc-basic-profile"));
            Assert.That(projected["authentication"]!["riskAssessment"]!.ToJsonString(), Is.EqualTo("""{"confidence":"low"}"""));
            Assert.That(projected["stats"]!.ToJsonString(), Is.EqualTo("""{"logins_count":7}"""));
            Assert.That(projected["tenant"]!.ToJsonString(), Is.EqualTo("""{"id":"demo"}"""));
            Assert.That(projected["session"]!.ToJsonString(), Is.EqualTo("""{"id":"s-1"}"""));
            Assert.That(projected["secrets"]!.ToJsonString(), Is.EqualTo("""{"KEY":"value"}"""));
        });
    }

    [Test]
    public void Project_MethodTimestamps_BecomeIsoStrings()
    {
        var projected = Project(Some.Login());

        Assert.That(projected["authentication"]!["methods"]!.ToJsonString(), Is.EqualTo("""[{"name":"pwd","timestamp":"2025-11-25T10:30:00.000Z"}]"""));
    }

    [Test]
    public void Project_UserWithoutMetadata_GetsEmptyMetadataObjects()
    {
        var login = LoginContext.Create(JsonNode.Parse("""{"user_id": "auth0|1"}""")!.AsObject(), []);

        var user = Project(login)["user"]!;

        Assert.Multiple(() =>
        {
            Assert.That(user["app_metadata"]!.ToJsonString(), Is.EqualTo("{}"));
            Assert.That(user["user_metadata"]!.ToJsonString(), Is.EqualTo("{}"));
            Assert.That(user["user_id"]!.GetValue<string>(), Is.EqualTo("auth0|1"));
        });
    }

    [Test]
    public void Project_EmptyLogin_HasEveryTopLevelField()
    {
        var projected = Project(LoginContext.Create([], []));

        Assert.That(projected.Select(pair => pair.Key), Is.EquivalentTo(new[]
        {
            "user", "client", "connection", "request", "transaction", "authentication", "stats", "tenant", "session", "secrets",
        }));
    }
}
