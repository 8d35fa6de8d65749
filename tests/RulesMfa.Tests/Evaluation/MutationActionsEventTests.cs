using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>
/// An Action's <c>event</c> where the login has two sources for one field or an odd geo location (issue 19,
/// mutation testing of engine/Sandbox/ActionsEvent.cs): what the Action reads, and that it is still what the console
/// shows (<see cref="ActionsEventProjection"/>).
/// </summary>
public sealed class MutationActionsEventTests
{
    private static readonly Dictionary<string, string> NoSecrets = [];

    private static string Seen(JsonObject login, string expression)
    {
        var decision = Some.Pipeline(new(),
            $"exports.onExecutePostLogin = async (event, api) => {{ api.idToken.setCustomClaim('https://x/v', JSON.stringify([JSON.parse(JSON.stringify(event)), {expression}])); }};")
            .Evaluate(LoginContext.FromRulesView(login));
        Assert.That(decision.Error, Is.Null, () => $"the Action failed: {decision.Error} {string.Join("; ", decision.Logs.Select(log => log.Message))}");
        var seen = JsonNode.Parse(decision.IdTokenClaims["https://x/v"]!.GetValue<string>())!.AsArray();
        Assert.That(seen[0]!.ToJsonString(), Is.EqualTo(ActionsEventProjection.Project(LoginContext.FromRulesView(login), NoSecrets).ToJsonString()), "the console's event");
        return seen[1]!.ToJsonString();
    }

    // Auth0 moved the risk assessment from context.riskAssessment to context.authentication.riskAssessment; the newer wins.
    [Test]
    public void RiskAssessment_OfTheAuthentication_WinsOverTheContexts()
    {
        var login = JsonNode.Parse("""
            {"user": {"user_id": "auth0|1"},
             "context": {"riskAssessment": {"confidence": "low"}, "authentication": {"methods": [], "riskAssessment": {"confidence": "high"}}}}
            """)!.AsObject();

        Assert.That(Seen(login, "event.authentication.riskAssessment"), Is.EqualTo("""{"confidence":"high"}"""));
    }

    // Only the geo fields Auth0 names are read: a geo object with none of them is an empty one, not one of nulls.
    [TestCase("""{}""")]
    [TestCase("""{"country": "NL", "city": "Amsterdam"}""")]
    public void Geoip_WithNoneOfTheFields_IsEmpty(string geoip)
    {
        var login = JsonNode.Parse("""{"user": {"user_id": "auth0|1"}, "context": {"request": {"ip": "198.51.100.1"}}}""")!.AsObject();
        login["context"]!["request"]!["geoip"] = JsonNode.Parse(geoip);

        Assert.That(Seen(login, "Object.keys(event.request.geoip)"), Is.EqualTo("[]"));
    }

    // A geo object with every field is built on a fixed layout, one with some of them field by field: a rule sees
    // the same kind of properties either way (so the layout is a shortcut only).
    [TestCase("""{"country_code": "DE", "country_code3": "DEU", "country_name": "Germany", "city_name": "Berlin", "latitude": 52.5, "longitude": 13.4, "time_zone": "Europe/Berlin", "continent_code": "EU", "subdivision_code": "BE"}""")]
    [TestCase("""{"country_code": "DE", "country_code3": "DEU", "country_name": "Germany", "city_name": "Berlin", "latitude": 52.5, "longitude": 13.4, "time_zone": "Europe/Berlin", "continent_code": "EU"}""")]
    public void Geoip_WithAllOrSomeFields_HasPlainWritableProperties(string geoip)
    {
        var login = JsonNode.Parse("""{"user": {"user_id": "auth0|1"}, "context": {"request": {"ip": "198.51.100.1"}}}""")!.AsObject();
        login["context"]!["request"]!["geoip"] = JsonNode.Parse(geoip);

        var seen = Seen(login, "(() => { const g = event.request.geoip; g.countryCode = 'XX'; delete g.cityName; return [Object.values(Object.getOwnPropertyDescriptors(g)).every(d => d.writable && d.enumerable && d.configurable), g.countryCode, 'cityName' in g]; })()");

        Assert.That(seen, Is.EqualTo("[true,\"XX\",false]"));
    }
}
