using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Engine.Testing;

/// <summary>Runs a test file's cases through the same <see cref="RulePipeline"/> that logins use.</summary>
public sealed class RuleTestRunner(RuleCompiler compiler)
{
    /// <summary>Compiles the file's rules and runs every case.</summary>
    /// <exception cref="RuleCompilationException">A rule does not compile.</exception>
    /// <exception cref="FileNotFoundException">A rule file does not exist.</exception>
    public RuleTestFileResult Run(RuleTestFile file)
    {
        var sources = RuleFiles.Load(file.RulePaths);
        var rules = compiler.CompileAll(sources);
        var settings = new RulePipelineSettings { Configuration = file.Configuration };
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
