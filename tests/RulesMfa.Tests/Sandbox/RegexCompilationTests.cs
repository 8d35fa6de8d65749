using System.Text.RegularExpressions;
using Jint.Native;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Tests.Sandbox;

/// <summary>
/// No regular expression of a rule is compiled to IL: Jint compiled literals on first use and run-time patterns on
/// their third construction in the process, and the JIT of one such pattern ran inside a single builtin call for up
/// to minutes (issue 20).
/// </summary>
public sealed class RegexCompilationTests
{
    private readonly SandboxEngineFactory engines = new(new SandboxLimits(), TimeProvider.System);

    [Test]
    public void RunTimePattern_BuiltAgainAndAgain_StaysInterpreted()
    {
        // A pattern no other test built, so the process-wide cache sees it here for the first time.
        var pattern = $"^(?:{Guid.NewGuid():N}|w[0-9]+)$";
        var (engine, _) = engines.Create();
        var build = engine.Evaluate("(pattern) => new RegExp(pattern)");

        var options = Enumerable.Range(0, 5).Select(_ => ((JsRegExp)engine.Call(build, pattern)).Value.Options).ToList();

        Assert.That(options, Has.None.Matches<RegexOptions>(option => option.HasFlag(RegexOptions.Compiled)));
    }

    [Test]
    public void RuleLiteral_RunAgainAndAgain_StaysInterpreted()
    {
        var rule = new RuleCompiler().Compile(RuleSource.Inline("literal", $"function (user, context, callback) {{ return /^{Guid.NewGuid():N}[a-z]+$/i; }}"));
        var options = new List<RegexOptions>();

        for (var run = 0; run < 5; run++)
        {
            var (engine, _) = engines.Create();
            var script = rule.Script;
            options.Add(((JsRegExp)engine.Call(engine.Evaluate(in script), JsValue.Undefined, JsValue.Undefined, JsValue.Undefined)).Value.Options);
        }

        Assert.That(options, Has.None.Matches<RegexOptions>(option => option.HasFlag(RegexOptions.Compiled)));
    }
}
