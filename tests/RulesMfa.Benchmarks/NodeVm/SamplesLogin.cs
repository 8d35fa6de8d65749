using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Evaluation;

namespace RulesMfa.Benchmarks.NodeVm;

/// <summary>
/// The ten Rules of <c>rules-samples</c> on <c>logins/admin-outside-office.json</c> with <c>logins/configuration.json</c>,
/// clock 2026-03-04 10:15 UTC: the login <see cref="NodeVmBenchmarks"/> and <see cref="ColdCacheBenchmarks"/> run.
/// </summary>
internal sealed class SamplesLogin
{
    /// <summary>The clock of all-samples.test.json's admin login: a Wednesday morning, inside office hours.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 4, 10, 15, 0, TimeSpan.Zero);

    public SamplesLogin(string repositoryRoot)
    {
        Folder = Path.Combine(repositoryRoot, "rules-samples");
        LoginFile = Path.Combine(Folder, "logins", "admin-outside-office.json");
        ConfigurationFile = Path.Combine(Folder, "logins", "configuration.json");
        Rules = RuleFiles.Load([Folder]).Where(rule => rule.Kind == RuleKind.Rule).Select(RuleCompiler.Shared.Compile).ToList();
        if (Rules.Count != 10)
        {
            throw new InvalidOperationException($"rules-samples should hold ten Rules, not {Rules.Count}.");
        }

        Configuration = JsonNode.Parse(File.ReadAllText(ConfigurationFile))!.AsObject()
            .ToDictionary(entry => entry.Key, entry => entry.Value!.GetValue<string>());
        Login = LoginContext.FromRulesView(JsonNode.Parse(File.ReadAllText(LoginFile)));
    }

    public string Folder { get; }

    public string LoginFile { get; }

    public string ConfigurationFile { get; }

    public IReadOnlyList<CompiledRule> Rules { get; }

    public IReadOnlyDictionary<string, string> Configuration { get; }

    public LoginContext Login { get; }

    /// <summary>The ten Rules on pooled engines (or a fresh engine per login) at the fixed clock.</summary>
    public RulePipeline Pipeline(bool freshEnginePerLogin = false) =>
        new(Rules, new RulePipelineSettings { Configuration = Configuration, FreshEnginePerLogin = freshEnginePerLogin }, new FixedTimeProvider(Now));
}
