using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// Runs one JavaScript expression in a rule with small limits (1,024 characters, elements; 256 characters of a regular
/// expression) and generous time, so a loaded machine never stops a rule by the clock before the limit under test;
/// the expression's value comes back as its JSON in an ID token claim.
/// </summary>
internal static class RuleExpression
{
    private const string Claim = "https://example.com/r";

    public static MfaDecision Run(string expression, Action<SandboxLimits>? configure = null)
    {
        var limits = new SandboxLimits
        {
            MaxStringLength = 1_024, MaxArraySize = 1_024, MaxRegexLength = 256,
            RuleTimeout = TimeSpan.FromSeconds(10), PipelineTimeout = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(limits);
        return Some.Decision(Some.Login(), new RulePipelineSettings { Limits = limits },
            $"function (user, context, callback) {{ const r = {expression};\n context.idToken['{Claim}'] = String(JSON.stringify(r)); callback(null, user, context); }}");
    }

    /// <summary>The expression's value as JSON, after asserting that the rule ran to its end.</summary>
    public static string ValueOf(string expression)
    {
        var decision = Run(expression);
        Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Ok), decision.Error?.Description);
        return decision.IdTokenClaims[Claim]!.GetValue<string>();
    }

    /// <summary>Asserts that the expression was stopped by <paramref name="limit"/>, described as <paramref name="what"/>.</summary>
    public static void AssertRefused(string expression, SandboxLimit limit, string what)
    {
        var decision = Run(expression);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Limit));
            Assert.That(decision.Rules.Single().Limit, Is.EqualTo(limit));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", $"Rule 'r1' {what}.")));
        });
    }

    /// <summary>Asserts that the expression threw a JavaScript error the rule could have caught, with this message.</summary>
    public static void AssertThrows(string expression, string message)
    {
        var decision = Run(expression);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules.Single().Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", message)));
        });
    }
}
