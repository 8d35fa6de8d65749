using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Sandbox;

namespace RulesMfa.Engine.Testing;

/// <summary>Runs a test file's cases through the same <see cref="RulePipeline"/> that logins use.</summary>
public sealed class RuleTestRunner(RuleCompiler compiler)
{
    /// <summary>Compiles the file's rules and runs every case.</summary>
    /// <exception cref="RuleCompilationException">A rule does not compile.</exception>
    /// <exception cref="FileNotFoundException">A rule file does not exist.</exception>
    public RuleTestFileResult Run(RuleTestFile file) => Run(file, RuleFiles.Load(file.RulePaths), file.Configuration);

    /// <summary>
    /// Runs the cases against <paramref name="sources"/> (a rule's stored tests against that rule), with the file's
    /// configuration where it has one, else <paramref name="configuration"/>, within <paramref name="limits"/> (default:
    /// <see cref="SandboxLimits"/>' defaults).
    /// </summary>
    /// <exception cref="RuleCompilationException">A rule does not compile.</exception>
    public RuleTestFileResult Run(
        RuleTestFile file, IReadOnlyList<RuleSource> sources, IReadOnlyDictionary<string, string> configuration, SandboxLimits? limits = null)
    {
        var rules = compiler.CompileAll(sources);
        var settings = new RulePipelineSettings
        {
            Configuration = file.Configuration.Count > 0 ? file.Configuration : configuration,
            Limits = limits ?? new SandboxLimits(),
        };
        var results = file.Cases.Select(testCase =>
        {
            var now = testCase.Now ?? file.Now;
            var pipeline = new RulePipeline(rules, settings, now is null ? TimeProvider.System : new FixedTimeProvider(now.Value));
            var decision = MfaDecisionJson.ToJsonObject(pipeline.Evaluate(testCase.Login));
            return new RuleTestResult(file.Path, testCase.Name, ExpectationMatcher.Compare(testCase.Expect, decision));
        }).ToList();
        return new RuleTestFileResult(sources, results);
    }
}
