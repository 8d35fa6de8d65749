using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>Inputs reach the rules as plain JavaScript values, whether parsed from JSON text or built in code.</summary>
public sealed class InputConversionTests
{
    private const string EchoUser = "function (user, context, callback) { context.idToken['https://x/user'] = [JSON.stringify(user), typeof user.n, Array.isArray(user.a)]; callback(null, user, context); }";

    [Test]
    public void Evaluate_UserBuiltInCode_ReachesTheRuleWithItsTypes()
    {
        var user = new JsonObject { ["n"] = 5, ["d"] = 2.5, ["b"] = true, ["s"] = "x", ["a"] = new JsonArray(1, "two", false), ["nothing"] = null };

        var decision = Some.Decision(LoginContext.Create(user, []), EchoUser);

        AssertSeenAsPlainValues(decision.IdTokenClaims["https://x/user"]!.AsArray());
    }

    [Test]
    public void Evaluate_UserParsedFromText_ReachesTheRuleWithItsTypes()
    {
        var user = JsonNode.Parse("""{"n": 5, "d": 2.5, "b": true, "s": "x", "a": [1, "two", false], "nothing": null}""")!.AsObject();

        var decision = Some.Decision(LoginContext.Create(user, []), EchoUser);

        AssertSeenAsPlainValues(decision.IdTokenClaims["https://x/user"]!.AsArray());
    }

    private static void AssertSeenAsPlainValues(JsonArray seen) => Assert.Multiple(() =>
    {
        Assert.That(seen[0]!.GetValue<string>(), Is.EqualTo("""{"n":5,"d":2.5,"b":true,"s":"x","a":[1,"two",false],"nothing":null}"""));
        Assert.That(seen[1]!.GetValue<string>(), Is.EqualTo("number"));
        Assert.That(seen[2]!.GetValue<bool>(), Is.True);
    });
}
