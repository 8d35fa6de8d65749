using RulesMfa.Engine.Decisions;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Issue 17: after a rule, <c>context.idToken</c> and <c>context.accessToken</c> are read in full again only when they
/// no longer read as the claims already held (<c>RulesOutputReader.WouldReadAs</c>, <c>PlainJson.WouldConvertToNode</c>).
/// A rule that changes the claims an earlier rule set, in place, between rules that leave them alone, must still be
/// read afresh: its change is the decision, and a reserved claim it adds is dropped and blamed on it.
/// </summary>
public sealed class ClaimsReadTests
{
    private const string SetsClaims = """
        function (user, context, callback) {
          context.idToken['https://example.com/roles'] = ['admin', 'ops'];
          context.idToken['https://example.com/team'] = 'blue';
          context.idToken['https://example.com/flags'] = { beta: true, tier: 'gold' };
          callback(null, user, context);
        }
        """;

    private const string LeavesThem = "function (user, context, callback) { callback(null, user, context); }";

    private const string Untouched =
        """{"https://example.com/roles":["admin","ops"],"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""";

    [TestCase("", Untouched)]
    [TestCase("context.idToken['https://example.com/roles'][1] = 'root';",
        """{"https://example.com/roles":["admin","root"],"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("context.idToken['https://example.com/roles'].push('root');",
        """{"https://example.com/roles":["admin","ops","root"],"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("context.idToken['https://example.com/roles'].length = 1;",
        """{"https://example.com/roles":["admin"],"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("delete context.idToken['https://example.com/roles'][1]; Array.prototype[1] = 'from the prototype';",
        """{"https://example.com/roles":["admin","from the prototype"],"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("Object.defineProperty(context.idToken['https://example.com/roles'], 0, { get: () => 'getter' });",
        """{"https://example.com/roles":["getter","ops"],"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("context.idToken['https://example.com/roles'].toJSON = () => 'own toJSON';",
        """{"https://example.com/roles":"own toJSON","https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("Array.prototype.toJSON = function () { return this.length; };",
        """{"https://example.com/roles":2,"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("Object.setPrototypeOf(Array.prototype, { toJSON: () => 'chain' });",
        """{"https://example.com/roles":"chain","https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("Object.setPrototypeOf(context.idToken['https://example.com/roles'], { toJSON: () => 'prototype' });",
        """{"https://example.com/roles":"prototype","https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("context.idToken['https://example.com/team'] = 'red';",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/team":"red","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("context.idToken['https://example.com/flags'].tier = 'silver';",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"silver"}}""")]
    [TestCase("context.idToken['https://example.com/added'] = 'new';",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/team":"blue","https://example.com/flags":{"beta":true,"tier":"gold"},"https://example.com/added":"new"}""")]
    [TestCase("delete context.idToken['https://example.com/team'];",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("delete context.idToken['https://example.com/flags'];",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/team":"blue"}""")]
    [TestCase("context.idToken[Symbol('s')] = 1;", Untouched)]
    [TestCase("Object.prototype.toJSON = function () { return 'o'; };",
        """{"https://example.com/roles":"o","https://example.com/team":"blue","https://example.com/flags":"o"}""")]
    [TestCase("Object.defineProperty(context.idToken, 'https://example.com/team', { enumerable: false });",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("Object.defineProperty(context.idToken, 'https://example.com/team', { get: () => 'getter', enumerable: true });",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/team":"getter","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("context.idToken['https://example.com/team'] = 7;",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/team":7,"https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    [TestCase("context.idToken = new Proxy(context.idToken, { get: (target, key) => key === 'https://example.com/team' ? 'proxied' : target[key] });",
        """{"https://example.com/roles":["admin","ops"],"https://example.com/team":"proxied","https://example.com/flags":{"beta":true,"tier":"gold"}}""")]
    public void ClaimsChangedInPlaceByALaterRule_AreReadAfresh(string change, string expected)
    {
        var decision = Some.Decision(SetsClaims, LeavesThem, $"function (user, context, callback) {{ {change} callback(null, user, context); }}", LeavesThem);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.Null);
            Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo(expected));
        });
    }

    [Test]
    public void AListOfRolesAlone_WithObjectPrototypeToJsonAddedByALaterRule_IsReadAfresh()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { context.idToken['https://example.com/roles'] = ['admin']; callback(null, user, context); }", LeavesThem,
            "function (user, context, callback) { Object.prototype.toJSON = function () { return 'o'; }; callback(null, user, context); }", LeavesThem);

        Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"https://example.com/roles":"o"}"""));
    }

    [Test]
    public void ClaimsWithAnIndexKey_AreReadInTheOrderJsonStringifyGives()
    {
        // The first rule's proxy answers its keys in its own order; the plain object that replaces it puts the index first.
        var decision = Some.Decision(
            "function (user, context, callback) { context.idToken = new Proxy({ a: 'x', 1: 'y' }, { ownKeys: () => ['a', '1'] }); callback(null, user, context); }",
            "function (user, context, callback) { context.idToken = { a: 'x', 1: 'y' }; callback(null, user, context); }");

        Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"1":"y","a":"x"}"""));
    }

    [Test]
    public void ClaimsWhoseProxyAnswersASymbolKey_AreReadWithoutIt()
    {
        var decision = Some.Decision(
            "function (user, context, callback) { context.idToken = new Proxy({ a: 'x' }, { ownKeys: () => [Symbol('s'), 'a'] }); callback(null, user, context); }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error, Is.Null);
            Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo("""{"a":"x"}"""));
        });
    }

    [TestCase("context.idToken.amr = ['pwd'];")]
    [TestCase("Object.defineProperty(context.idToken, 'amr', { value: ['pwd'], enumerable: false, configurable: true });")]
    public void AReservedClaimAddedByALaterRule_IsDroppedAndBlamedOnIt(string change)
    {
        var decision = Some.Decision(SetsClaims, LeavesThem, $"function (user, context, callback) {{ {change} callback(null, user, context); }}", LeavesThem);

        Assert.Multiple(() =>
        {
            Assert.That(decision.IdTokenClaims.ToJsonString(), Is.EqualTo(Untouched));
            Assert.That(decision.Logs, Is.EqualTo(new[] { new RuleLogEntry("r3", "warn", "context.idToken['amr'] is a reserved claim and was dropped") }));
        });
    }

    [Test]
    public void ClaimsGrownInPlacePastTheOutputLimit_AreDroppedAndNamed()
    {
        var decision = Some.Decision(SetsClaims, LeavesThem,
            "function (user, context, callback) { context.idToken['https://example.com/roles'].push('x'.repeat(70000)); callback(null, user, context); }", LeavesThem);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[2].Limit, Is.EqualTo(SandboxLimit.OutputSize));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r3' made the ID token claims larger than 65,536 bytes."));
            Assert.That(decision.IdTokenClaims.Count, Is.Zero);
        });
    }
}
