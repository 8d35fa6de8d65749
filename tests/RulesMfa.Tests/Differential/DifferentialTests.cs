using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Differential;

/// <summary>
/// The Rules of tests/differential/rules on every login of logins.json, alone and in the pipelines of pipelines.json,
/// run by Node.js (an Auth0-like harness on the <c>vm</c> module, the same modules and clock) and by RulesMfa: the
/// decisions must be the same, field by field, except the deliberate differences a rule declares in a first-line
/// comment (<c>// difference: idTokenClaims.sub, idTokenClaims.aud: why</c>, listed in README). A declaration names
/// the exact paths it waives, and each of them must really differ.
/// </summary>
public sealed class DifferentialTests
{
    private static readonly string[] Fields = ["outcome", "multifactor", "error", "idTokenClaims", "accessTokenClaims", "appMetadata", "userMetadata"];

    private static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "differential");

    [Test]
    public void EveryRuleOnEveryLogin_DecidesAsNodeJsDoes()
    {
        var corpus = Corpus.Load(Folder);

        var (mismatches, undemonstrated) = Compare(corpus, corpus.Rules.Select(rule => new[] { rule }).ToList());

        TestContext.Out.WriteLine($"{corpus.Rules.Count} rules × {corpus.Logins.Count} inputs, {mismatches.Count} mismatches");
        mismatches.ForEach(TestContext.Out.WriteLine);
        Assert.Multiple(() =>
        {
            Assert.That(corpus.Rules, Has.Count.GreaterThanOrEqualTo(40));
            Assert.That(corpus.Logins, Has.Count.GreaterThanOrEqualTo(3));
            Assert.That(mismatches, Is.Empty, $"{corpus.Rules.Count} rules × {corpus.Logins.Count} inputs, {mismatches.Count} mismatches");
            Assert.That(undemonstrated, Is.Empty, "a declared deliberate difference that never showed");
            Assert.That(corpus.Rules.SelectMany(rule => rule.Differences).Where(path => !path.Contains('.')), Is.Empty,
                "a declared difference names a path inside a field, never a whole field");
        });
    }

    [Test]
    public void RulePipelines_DecideAsNodeJsDoes()
    {
        var corpus = Corpus.Load(Folder);
        var byId = corpus.Rules.ToDictionary(rule => rule.Id);
        var pipelines = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "pipelines.json")))!["pipelines"]!.AsArray()
            .Select(pipeline => pipeline!.AsArray().Select(id => byId[id!.GetValue<string>()]).ToArray()).ToList();

        var (mismatches, _) = Compare(corpus, pipelines);

        TestContext.Out.WriteLine($"{pipelines.Count} rule pipelines × {corpus.Logins.Count} inputs, {mismatches.Count} mismatches");
        mismatches.ForEach(TestContext.Out.WriteLine);
        Assert.Multiple(() =>
        {
            Assert.That(pipelines, Has.Count.GreaterThanOrEqualTo(6));
            Assert.That(pipelines.SelectMany(pipeline => pipeline).Where(rule => rule.Differences.Count > 0), Is.Empty,
                "pipelines hold only rules that decide as Node.js does");
            Assert.That(mismatches, Is.Empty);
        });
    }

    /// <summary>Runs each pipeline on each login on both sides; the mismatches, and the declared differences that never showed.</summary>
    private static (List<string> Mismatches, List<string> Undemonstrated) Compare(Corpus corpus, IReadOnlyList<CorpusRule[]> pipelines)
    {
        var cases = pipelines.SelectMany(pipeline => corpus.Logins.Select(login => (Rules: pipeline, login.Name, login.Login))).ToList();
        var node = NodeHarness.Run(Path.Combine(Folder, "harness.js"), new JsonObject
        {
            ["modulesRoot"] = Path.Combine(AppContext.BaseDirectory, "rule-modules"),
            ["now"] = corpus.Now.ToString("O"),
            ["cases"] = new JsonArray(cases.Select(testCase => (JsonNode)new JsonObject
            {
                ["id"] = Name(testCase.Rules),
                ["input"] = testCase.Name,
                ["rules"] = new JsonArray(testCase.Rules.Select(rule => (JsonNode)new JsonObject { ["id"] = rule.Id, ["source"] = rule.Source }).ToArray()),
                ["configuration"] = new JsonObject(corpus.Configuration.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)entry.Value))),
                ["user"] = testCase.Login.User.DeepClone(),
                ["context"] = testCase.Login.Context.DeepClone(),
            }).ToArray()),
        });

        var settings = new RulePipelineSettings
        {
            Configuration = corpus.Configuration,
            // Time limits are a deliberate difference (README); this suite compares decisions, not speed.
            Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) },
        };
        var built = pipelines.ToDictionary(Name, pipeline => new RulePipeline(
            pipeline.Select(rule => RuleCompiler.Shared.Compile(RuleSource.Inline(rule.Id, rule.Source))).ToList(), settings, new FixedTimeProvider(corpus.Now)));
        var mismatches = new List<string>();
        var shown = new HashSet<string>();
        for (var index = 0; index < cases.Count; index++)
        {
            var (rules, input, login) = cases[index];
            var ours = Comparable(built[Name(rules)].Evaluate(login));
            var theirs = node[index]!.AsObject();
            var waived = rules.SelectMany(rule => rule.Differences.Select(path => (Rule: rule.Id, Path: path))).ToList();
            if (theirs["status"]!.GetValue<string>() == "timeout")
            {
                waived.Add(("", "error.description")); // Node has no words for a rule that never called back; RulesMfa names the limit.
            }

            foreach (var (rule, path) in waived)
            {
                if (!JsonNode.DeepEquals(Remove(ours, path), Remove(theirs, path)))
                {
                    shown.Add($"{rule} {path}");
                }
            }

            mismatches.AddRange(Fields.Where(field => !JsonNode.DeepEquals(ours[field], theirs[field])).Select(field =>
                $"{Name(rules)} × {input}: {field}: RulesMfa {ours[field]?.ToJsonString() ?? "null"}, Node.js {theirs[field]?.ToJsonString() ?? "null"}"));
        }

        var undemonstrated = pipelines.SelectMany(pipeline => pipeline).Distinct()
            .SelectMany(rule => rule.Differences.Select(path => $"{rule.Id} {path}")).Where(difference => !shown.Contains(difference)).ToList();
        return (mismatches, undemonstrated);
    }

    private static string Name(IEnumerable<CorpusRule> rules) => string.Join(" + ", rules.Select(rule => rule.Id));

    /// <summary>Removes the value at <paramref name="path"/> (a.b.c) and returns it; null when there was none.</summary>
    private static JsonNode? Remove(JsonObject result, string path)
    {
        var names = path.Split('.');
        var parent = names[..^1].Aggregate((JsonNode?)result, (node, name) => node is JsonObject obj ? obj[name] : null) as JsonObject;
        if (parent is null || !parent.TryGetPropertyValue(names[^1], out var value))
        {
            return null;
        }

        parent.Remove(names[^1]);
        return value;
    }

    private static JsonObject Comparable(MfaDecision decision) => new()
    {
        ["outcome"] = decision.Outcome.ToString().ToLowerInvariant(),
        ["multifactor"] = decision.Outcome == DecisionOutcome.Deny ? null : decision.Multifactor?.DeepClone(),
        ["error"] = decision.Error is null ? null : new JsonObject { ["code"] = decision.Error.Code, ["description"] = decision.Error.Description },
        ["idTokenClaims"] = decision.Outcome == DecisionOutcome.Deny ? new JsonObject() : decision.IdTokenClaims.DeepClone(),
        ["accessTokenClaims"] = decision.Outcome == DecisionOutcome.Deny ? new JsonObject() : decision.AccessTokenClaims.DeepClone(),
        ["appMetadata"] = decision.AppMetadata.DeepClone(),
        ["userMetadata"] = decision.UserMetadata.DeepClone(),
    };

    /// <summary>A Rule of the corpus with the paths its first line declares as deliberate differences.</summary>
    private sealed record CorpusRule(string Id, string Source)
    {
        private const string Marker = "// difference: ";

        public IReadOnlyList<string> Differences { get; } = Source.Split('\n')[0] is var first && first.StartsWith(Marker, StringComparison.Ordinal)
            ? first[Marker.Length..].Split(": ", 2)[0].Split(',').Select(path => path.Trim()).ToList()
            : [];
    }

    /// <summary>The corpus: rules, logins, their configuration and clock.</summary>
    private sealed record Corpus(IReadOnlyList<CorpusRule> Rules, IReadOnlyList<(string Name, LoginContext Login)> Logins,
        Dictionary<string, string> Configuration, DateTimeOffset Now)
    {
        public static Corpus Load(string folder)
        {
            var setup = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "logins.json")))!.AsObject();
            return new Corpus(
                Directory.GetFiles(Path.Combine(folder, "rules"), "*.js").Order(StringComparer.Ordinal)
                    .Select(path => new CorpusRule(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path))).ToList(),
                setup["logins"]!.AsArray().Select(login => (login!["name"]!.GetValue<string>(),
                    LoginContext.Create(login["user"]!.AsObject(), login["context"]!.AsObject()))).ToList(),
                setup["configuration"]!.AsObject().ToDictionary(entry => entry.Key, entry => entry.Value!.GetValue<string>()),
                DateTimeOffset.Parse(setup["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
