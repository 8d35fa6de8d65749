using System.Text.Json.Nodes;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 19 (mutation testing of <c>JsValueConverter</c> and <c>LoginGlobals</c>, from the survivors of their Stryker
/// run): arrays nested in arrays reach a rule whole (the eager conversion under the lazy one); a metadata update
/// whose value JSON-serializes to nothing is refused as no object; and an object logged after other arguments is cut at
/// what is left of the line.
/// </summary>
public sealed class MutationConversionsTests
{
    private const string Claim = "https://x/seen";

    [Test]
    public void ArraysNestedInArrays_ReachTheRuleWhole()
    {
        var user = JsonNode.Parse("""{"matrix": [[1, {"a": [true, null]}], [], [[["deep"]]]]}""")!.AsObject();

        var decision = Some.Decision(LoginContext.Create(user, []),
            $"function (user, context, callback) {{ context.idToken['{Claim}'] = JSON.stringify(user.matrix) + ' ' + user.matrix[0][1].a.length; callback(null, user, context); }}");

        Assert.That(decision.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("""[[1,{"a":[true,null]}],[],[[["deep"]]]] 2"""));
    }

    [Test]
    public void MetadataUpdate_OfAValueThatSerializesToNothing_IsRefusedAsNoObject()
    {
        var decision = Some.Decision(
            $$"""
            function (user, context, callback) {
              auth0.users.updateAppMetadata(user.user_id, { toJSON: () => undefined }).then(() => 'done', e => e.name + ': ' + e.message)
                .then(seen => { context.idToken['{{Claim}}'] = seen; callback(null, user, context); });
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims[Claim]?.ToString(), Is.EqualTo("TypeError: auth0.users.updateAppMetadata takes the metadata as an object"));
            Assert.That(decision.AppMetadata.ToJsonString(), Is.EqualTo("{}"));
        });
    }

    /// <summary>A line has room for 101 characters (one past the limit, to show the cut); <c>abc </c> leaves 97.</summary>
    [Test]
    public void ObjectLoggedAfterOtherArguments_IsCutAtWhatIsLeftOfTheLine()
    {
        var decision = Some.Decision(Some.Login(), new RulePipelineSettings { Limits = { MaxLogMessageLength = 100 } },
            "function (user, context, callback) { console.log('abc', { long: 'x'.repeat(200) }); callback(null, user, context); }");

        Assert.That(decision.Logs.Single().Message, Is.EqualTo("abc [object longer than 97 characters]"));
    }
}
