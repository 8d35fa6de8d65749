using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;

namespace RulesMfa.Tests.Context;

public sealed class LoginContextTests
{
    [Test]
    public void FromRulesView_AddsTokenClaimObjectsRulesWriteInto()
    {
        var login = LoginContext.FromRulesView(JsonNode.Parse("""{"user": {"user_id": "u"}, "context": {"clientID": "c"}}"""));

        Assert.That(login.Context.ToJsonString(), Is.EqualTo("""{"clientID":"c","idToken":{},"accessToken":{}}"""));
    }

    [TestCase("""{"user": [], "context": {}}""", "\"user\" must be a JSON object, not array")]
    [TestCase("""{"user": {}, "context": "x"}""", "\"context\" must be a JSON object, not string")]
    [TestCase("""[1]""", "the login must be a JSON object")]
    public void FromRulesView_WrongShape_NamesTheField(string json, string expected)
    {
        var error = Assert.Throws<LoginContextFormatException>(() => LoginContext.FromRulesView(JsonNode.Parse(json)));

        Assert.That(error!.Message, Does.Contain(expected));
    }
}
