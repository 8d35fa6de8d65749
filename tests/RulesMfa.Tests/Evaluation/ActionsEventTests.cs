using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Evaluation;

/// <summary>
/// What an Action's <c>event</c> is, as <c>JSON.stringify(event)</c> writes it: the login projected as the console
/// shows it (<see cref="ActionsEventProjection"/>: same properties, same order, same values for missing fields), with
/// the metadata the Rules saved; and each Action's own copy, so that what one Action writes the next does not see.
/// </summary>
public sealed class ActionsEventTests
{
    private static readonly Dictionary<string, string> Secrets = new() { ["API_KEY"] = "k-1", ["REGION"] = "eu" };

    private const string RecordsEvent =
        "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://x/event', JSON.stringify(event)); };";

    private const string RecordsEventAgain =
        "exports.onExecutePostLogin = async (event, api) => { api.accessToken.setCustomClaim('https://x/event', JSON.stringify(event)); };";

    public static IEnumerable<TestCaseData> Logins()
    {
        yield return new TestCaseData(Some.Login()).SetArgDisplayNames("typical");
        yield return new TestCaseData(LoginContext.FromRulesView(JsonNode.Parse(
            File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "logins", "admin-outside-office.json"))))).SetArgDisplayNames("sample admin");
        yield return new TestCaseData(LoginContext.FromRulesView(new JsonObject())).SetArgDisplayNames("empty");
        yield return new TestCaseData(LoginContext.FromRulesView(JsonNode.Parse("""
            {"user": {"user_id": "auth0|odd", "app_metadata": null, "user_metadata": "text", "identities": [{"provider": "x", "profileData": {"a": [1, {"b": null}]}}]},
             "context": {"clientID": "c", "clientMetadata": null, "connectionMetadata": {"a": 1}, "stats": {"loginsCount": null},
                         "request": {"ip": "198.51.100.1", "query": "not-an-object", "body": {"k": "v"},
                                     "geoip": {"unknown": 1, "subdivision_code": "BE", "country_code": "DE", "latitude": null}},
                         "authentication": {"methods": ["pwd", {"name": "mfa"}, {"name": "x", "timestamp": "yesterday"}, {"timestamp": 1741425120000, "name": "otp"}],
                                            "riskAssessment": null},
                         "riskAssessment": {"confidence": "low", "assessments": {}}, "tenant": null, "extra": [1, 2]}}
            """))).SetArgDisplayNames("odd");
        yield return new TestCaseData(Some.Login(context: """
            {"request": {"ip": "2001:db8::1", "hostname": "id.example.com", "userAgent": "UA/1", "method": "POST", "language": "de",
                         "query": {"acr_values": "a  b", "prompt": "login consent", "scope": "openid email", "response_type": "code id_token",
                                   "redirect_uri": "https://app.example/cb", "state": "s", "ui_locales": "de en"},
                         "geoip": {"country_code": "DE", "country_code3": "DEU", "country_name": "Germany", "city_name": "Berlin",
                                   "latitude": 52.5, "longitude": 13.4, "time_zone": "Europe/Berlin", "continent_code": "EU", "subdivision_code": "BE"}},
             "authentication": {"methods": [{"name": "pwd", "timestamp": 1764066600000}], "riskAssessment": {"confidence": "high"}}}
            """)).SetArgDisplayNames("full request");
    }

    [TestCaseSource(nameof(Logins))]
    public void Event_IsTheConsolesProjectionOfTheLogin_InEveryAction(LoginContext login)
    {
        var decision = Pipeline(RecordsEvent, RecordsEventAgain).Evaluate(login);

        var expected = ActionsEventProjection.Project(login, Secrets).ToJsonString();
        Assert.Multiple(() =>
        {
            Assert.That(Recorded(decision.IdTokenClaims), Is.EqualTo(expected), "the first Action's event");
            Assert.That(Recorded(decision.AccessTokenClaims), Is.EqualTo(expected), "the second Action's event");
        });
    }

    [Test]
    public void Event_HasTheMetadataTheRulesSaved_ChangedInPlaceAddedAtTheEndRemovedWhenNull()
    {
        var login = Some.Login(user: """{"app_metadata": {"roles": ["admin"], "plan": "free", "team": "a"}, "user_metadata": {"theme": "dark"}}""");
        var decision = Pipeline(
            """
            function (user, context, callback) {
              auth0.users.updateAppMetadata(user.user_id, { plan: 'pro', added: { deep: [1, { x: 'y' }] }, team: null })
                .then(() => auth0.users.updateUserMetadata(user.user_id, { theme: null, language: 'nl' }))
                .then(() => callback(null, user, context));
            }
            """,
            RecordsEvent).Evaluate(login);

        var expected = ActionsEventProjection.Project(login, Secrets);
        expected["user"]!["app_metadata"] = JsonNode.Parse("""{"roles": ["admin"], "plan": "pro", "added": {"deep": [1, {"x": "y"}]}}""");
        expected["user"]!["user_metadata"] = JsonNode.Parse("""{"language": "nl"}""");
        Assert.That(Recorded(decision.IdTokenClaims), Is.EqualTo(expected.ToJsonString()));
    }

    [Test]
    public void Event_WrittenByOneAction_IsNotWhatTheNextActionSees()
    {
        var login = Some.Login();
        var decision = Pipeline(
            """
            exports.onExecutePostLogin = async (event, api) => {
              event.user.app_metadata.roles.push('hacked');
              event.user.app_metadata.added = true;
              delete event.user.email;
              event.request.geoip.countryCode = 'XX';
              event.secrets.API_KEY = 'changed';
              event.transaction.requested_scopes.length = 0;
              event.authentication.methods[0].name = 'none';
              delete event.client;
              event.extra = 1;
            };
            """,
            RecordsEvent).Evaluate(login);

        Assert.That(Recorded(decision.IdTokenClaims), Is.EqualTo(ActionsEventProjection.Project(login, Secrets).ToJsonString()));
    }

    [Test]
    public void Event_OfTheNextLoginOnThePooledEngine_IsItsOwn()
    {
        var pipeline = Pipeline(
            "exports.onExecutePostLogin = async (event, api) => { event.user.app_metadata.roles.push('hacked'); event.user.name = 'Eve'; };",
            RecordsEvent);
        var first = Some.Login(user: """{"name": "Ada"}""");
        var second = Some.Login(user: """{"name": "Grace", "app_metadata": {"roles": ["user"]}}""");

        pipeline.Evaluate(first);
        var decision = pipeline.Evaluate(second);

        Assert.That(Recorded(decision.IdTokenClaims), Is.EqualTo(ActionsEventProjection.Project(second, Secrets).ToJsonString()));
    }

    private static RulePipeline Pipeline(params string[] sources) => Some.Pipeline(new RulePipelineSettings { Configuration = Secrets }, sources);

    // Written again by the same writer as the projection, so that the comparison is of content and order, not of escaping.
    private static string Recorded(JsonObject claims) => JsonNode.Parse(claims["https://x/event"]!.GetValue<string>())!.ToJsonString();
}
