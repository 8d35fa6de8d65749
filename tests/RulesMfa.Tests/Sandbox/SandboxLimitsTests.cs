using System.ComponentModel.DataAnnotations;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Sandbox;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Sandbox;

/// <summary>Every limit stops the rule, names the rule and the limit, and fails closed.</summary>
public sealed class SandboxLimitsTests
{
    private const string Allow = "function (user, context, callback) { context.multifactor = { provider: 'none' }; callback(null, user, context); }";

    private static RulePipelineSettings With(Action<SandboxLimits> configure)
    {
        var limits = new SandboxLimits();
        configure(limits);
        return new RulePipelineSettings { Limits = limits };
    }

    private static MfaDecision Run(RulePipelineSettings settings, string body) =>
        Some.Decision(Some.Login(), settings, $"function (user, context, callback) {{ {body}\n callback(null, user, context); }}", Allow);

    [Test]
    public void InfiniteLoop_IsStoppedByTheRuleTimeout()
    {
        var decision = Run(With(limits => { limits.RuleTimeout = TimeSpan.FromMilliseconds(50); limits.MaxStatements = 100_000_000; }), "while (true) {}");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error, Is.EqualTo(new DecisionError("access_denied", "Rule 'r1' ran longer than its time limit of 50 ms.")));
            Assert.That(decision.Rules.Select(rule => rule.Status), Is.EqualTo(new[] { RuleStatus.Timeout, RuleStatus.Skipped }));
        });
    }

    [Test]
    public void InfiniteLoop_WithLessPipelineTimeLeftThanRuleTime_NamesThePipelineLimit()
    {
        var decision = Run(With(limits =>
        {
            limits.RuleTimeout = TimeSpan.FromSeconds(10);
            limits.PipelineTimeout = TimeSpan.FromMilliseconds(50);
            limits.MaxStatements = 100_000_000;
        }), "while (true) {}");

        Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' ran past the time limit of 50 ms for all rules of a login."));
    }

    [Test]
    public void LoopThatSwallowsErrors_CannotCatchTheLimit()
    {
        var decision = Run(With(limits => limits.MaxStatements = 10_000), "while (true) { try { while (true) {} } catch (e) {} finally { continue; } }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Status, Is.EqualTo(RuleStatus.Limit));
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.Statements));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' executed more than 10,000 statements."));
        });
    }

    [Test]
    public void GrowingString_IsStoppedByTheMemoryLimit()
    {
        var decision = Run(With(limits => limits.MaxMemoryBytes = 1 << 20), "let s = 'x'; while (true) { s = s + s + 'y'; }");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.Memory));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' allocated more than 1,048,576 bytes."));
        });
    }

    [Test]
    public void DeepRecursion_IsStoppedByTheRecursionLimit()
    {
        var decision = Run(With(limits => limits.MaxRecursionDepth = 64), "function down(n) { return down(n + 1) + 1; } down(0);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.Recursion));
            Assert.That(decision.Error!.Description, Does.Contain("deeper than 64"));
        });
    }

    [Test]
    public void CatastrophicRegex_IsStoppedByTheRegexTimeout()
    {
        var decision = Run(With(limits => limits.RegexTimeout = TimeSpan.FromMilliseconds(20)), "/^(a+)+$/.test('a'.repeat(40) + '!');");

        Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.Regex));
    }

    [Test]
    public void HugeArray_IsStoppedByTheArraySizeLimit()
    {
        var decision = Run(new RulePipelineSettings(), "new Array(10000000).fill(1);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.ArraySize));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' grew an array past the limit of 65,536 elements."));
        });
    }

    [TestCase("eval('1 + 1');")]
    [TestCase("new Function('return 1')();")]
    [TestCase("(function(){}).constructor('return 1')();")]
    public void StringCompilation_IsOffByDefault(string body)
    {
        var decision = Run(new RulePipelineSettings(), body);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(decision.Error!.Description, Does.Contain("String compilation has been disabled"));
        });
    }

    [Test]
    public void StringCompilation_WhenEnabled_Works()
    {
        var decision = Run(With(limits => limits.AllowStringCompilation = true), "context.idToken['https://x/v'] = eval('1 + 1');");

        Assert.That(decision.IdTokenClaims["https://x/v"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public void HostAndBlockingGlobals_AreAbsentAndInputsArePlainObjects()
    {
        var decision = Run(new RulePipelineSettings(),
            """
            context.idToken['https://x/g'] = [typeof System, typeof importNamespace, typeof require, typeof Atomics, typeof SharedArrayBuffer,
              typeof ShadowRealm, typeof user.GetType, Object.getPrototypeOf(user) === Object.prototype, Array.isArray(user.app_metadata.roles)];
            """);

        // require exists (issue 7) but loads only the allowed npm modules: see Modules/RequireTests.
        Assert.That(decision.IdTokenClaims["https://x/g"]!.ToJsonString(),
            Is.EqualTo("""["undefined","undefined","function","undefined","undefined","undefined","undefined",true,true]"""));
    }

    [Test]
    public void FailModeRequireMfa_TurnsAFaultIntoMfaWithoutRememberBrowser()
    {
        var settings = new RulePipelineSettings { FailMode = FailMode.RequireMfa, Limits = { MaxStatements = 1_000 } };

        var decision = Run(settings, "context.multifactor = { provider: 'none' }; while (true) {}");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(decision.Error, Is.Null);
            Assert.That(decision.Multifactor!.ToJsonString(), Is.EqualTo("""{"provider":"any","allowRememberBrowser":false}"""));
            Assert.That(decision.AllowRememberBrowser, Is.False);
            Assert.That(decision.Logs.Last(), Is.EqualTo(new RuleLogEntry("r1", "error", "Rule 'r1' executed more than 1,000 statements.")));
        });
    }

    [Test]
    public void FailModeRequireMfa_StillDeniesARulesOwnError()
    {
        var settings = new RulePipelineSettings { FailMode = FailMode.RequireMfa };

        var decision = Run(settings, "throw new Error('bad');");

        Assert.That(decision.Outcome, Is.EqualTo(DecisionOutcome.Deny));
    }

    [Test]
    public void AfterAFault_TheNextLoginIsDecidedNormally()
    {
        var pipeline = Some.Pipeline(With(limits => limits.MaxStatements = 1_000),
            "function (user, context, callback) { if (user.email === 'loop@example.com') { while (true) {} } context.multifactor = true; callback(null, user, context); }");

        var faulted = pipeline.Evaluate(Some.Login(user: """{"email": "loop@example.com"}"""));
        var normal = pipeline.Evaluate(Some.Login());

        Assert.Multiple(() =>
        {
            Assert.That(faulted.Outcome, Is.EqualTo(DecisionOutcome.Deny));
            Assert.That(normal.Outcome, Is.EqualTo(DecisionOutcome.Mfa));
            Assert.That(normal.Rules.Single().Status, Is.EqualTo(RuleStatus.Ok));
        });
    }

    [Test]
    public void Limits_OutOfRange_AreRefusedNamingTheField()
    {
        var settings = With(limits => limits.MaxStatements = 0);

        var error = Assert.Throws<ValidationException>(() => Some.Pipeline(settings, Allow));

        Assert.That(error!.Message, Does.Contain("MaxStatements"));
    }

    [Test]
    public void Limits_Defaults_AreValidAndBounded()
    {
        var limits = new SandboxLimits();

        Assert.Multiple(() =>
        {
            Assert.That(limits.Validate, Throws.Nothing);
            Assert.That(limits.RuleTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(limits.PipelineTimeout, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(limits.MaxStatements, Is.EqualTo(100_000));
            Assert.That(limits.MaxMemoryBytes, Is.EqualTo(32L << 20));
            Assert.That(limits.AllowStringCompilation, Is.False);
        });
    }

    [TestCase("'a'.repeat(2 ** 28);")]
    [TestCase("'a'.padStart(2 ** 28);")]
    [TestCase("'b'.padEnd(1e9, 'x');")]
    [TestCase("new Array(1000).fill('x'.repeat(1e6)).join('');")]
    [TestCase("'a'.repeat(1e6).replaceAll('a', 'bbbbbbbb');")]
    [TestCase("const mb = 'x'.repeat(1e6); mb.concat(...Array(100).fill(mb));")]
    [TestCase("Array(100).fill('x'.repeat(1e6)).toLocaleString();")]
    public void StringAmplifier_IsRefusedBeforeItBuildsTheString(string body)
    {
        var decision = Run(new RulePipelineSettings(), body);

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Status, Is.EqualTo(RuleStatus.Limit));
            Assert.That(decision.Rules[0].Limit, Is.AnyOf(SandboxLimit.StringLength, SandboxLimit.ArraySize));
            Assert.That(decision.Error!.Description, Does.StartWith("Rule 'r1' "));
        });
    }

    [Test]
    public void StringBuiltins_WithinTheCap_WorkAsUsual()
    {
        var decision = Run(new RulePipelineSettings(),
            "context.idToken['https://x/s'] = ['ab'.repeat(3), '7'.padStart(3, '0'), 'x'.padEnd(3, '-'), [1, 'a', null].join('|'), 'a-b-c'.replaceAll('-', '_'), 'a'.concat('b', 1), ['x', 2].toLocaleString()];");

        Assert.That(decision.IdTokenClaims["https://x/s"]!.ToJsonString(), Is.EqualTo("""["ababab","007","x--","1|a|","a_b_c","ab1","x,2"]"""));
    }

    [TestCase("ArrayBuffer")]
    [TestCase("Uint8Array")]
    [TestCase("DataView")]
    public void BinaryBuffers_AreAbsent(string name)
    {
        var decision = Run(new RulePipelineSettings(), $"context.idToken['https://x/t'] = typeof {name};");

        Assert.That(decision.IdTokenClaims["https://x/t"]!.GetValue<string>(), Is.EqualTo("undefined"));
    }

    [Test]
    public void OversizedClaims_FaultTheRuleAndNeverReachTheDecision()
    {
        var decision = Run(With(limits => limits.MaxOutputBytes = 4_096), "context.idToken['https://x/big'] = 'x'.repeat(10000);");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.OutputSize));
            Assert.That(decision.Error!.Description, Is.EqualTo("Rule 'r1' made the ID token claims larger than 4,096 bytes."));
            Assert.That(decision.IdTokenClaims, Is.Empty);
        });
    }

    [Test]
    public void OversizedMetadataPatch_IsDroppedNotSaved()
    {
        var decision = Run(With(limits => limits.MaxOutputBytes = 4_096),
            "auth0.users.updateAppMetadata(user.user_id, { blob: 'x'.repeat(10000) });");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Rules[0].Limit, Is.EqualTo(SandboxLimit.OutputSize));
            Assert.That(decision.AppMetadata, Is.Empty);
        });
    }

    /// <summary>Every oversized output is dropped, not only the first one named: the second was saved to the user's record.</summary>
    [Test]
    public void TwoOversizedOutputs_AreBothDroppedNotSaved()
    {
        var decision = Some.Decision(Some.Login(), With(limits => limits.MaxOutputBytes = 4_096),
            "exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('https://x/big', 'x'.repeat(3000)); api.user.setUserMetadata('blob', 'x'.repeat(5000)); api.idToken.setCustomClaim('https://x/more', 'x'.repeat(3000)); };");

        Assert.Multiple(() =>
        {
            Assert.That(decision.Error!.Description, Is.EqualTo("Action 'r1' made the ID token claims larger than 4,096 bytes."));
            Assert.That(decision.IdTokenClaims, Is.Empty);
            Assert.That(decision.UserMetadata, Is.Empty, "the second oversized output is dropped too");
        });
    }
}
