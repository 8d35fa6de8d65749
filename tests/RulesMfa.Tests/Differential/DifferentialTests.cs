using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Differential;

/// <summary>
/// Every Rule of tests/differential/rules on every login of logins.json, run by Node.js (an Auth0-like harness on
/// the <c>vm</c> module, the same modules and clock) and by RulesMfa: the decisions must be the same, field by
/// field, except the deliberate differences a rule declares in a first-line comment
/// (<c>// difference: field: why</c>, listed in README), which must then really differ.
/// </summary>
public sealed class DifferentialTests
{
    private static readonly string[] Fields = ["outcome", "multifactor", "error.code", "error.description", "idTokenClaims", "accessTokenClaims", "appMetadata", "userMetadata"];

    private static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "differential");

    [Test]
    public void EveryRuleOnEveryLogin_DecidesAsNodeJsDoes()
    {
        var setup = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "logins.json")))!.AsObject();
        var now = DateTimeOffset.Parse(setup["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var configuration = setup["configuration"]!.AsObject().ToDictionary(entry => entry.Key, entry => entry.Value!.GetValue<string>());
        var logins = setup["logins"]!.AsArray().Select(login => (Name: login!["name"]!.GetValue<string>(),
            Login: LoginContext.Create(login["user"]!.AsObject(), login["context"]!.AsObject()))).ToList();
        var rules = Directory.GetFiles(Path.Combine(Folder, "rules"), "*.js").Order(StringComparer.Ordinal)
            .Select(path => (Id: Path.GetFileNameWithoutExtension(path), Source: File.ReadAllText(path))).ToList();
        var cases = rules.SelectMany(rule => logins.Select(login => (Rule: rule, login.Name, login.Login))).ToList();

        var node = NodeHarness.Run(Path.Combine(Folder, "harness.js"), new JsonObject
        {
            ["modulesRoot"] = Path.Combine(AppContext.BaseDirectory, "rule-modules"),
            ["now"] = setup["now"]!.DeepClone(),
            ["cases"] = new JsonArray(cases.Select(testCase => (JsonNode)new JsonObject
            {
                ["id"] = testCase.Rule.Id,
                ["input"] = testCase.Name,
                ["source"] = testCase.Rule.Source,
                ["configuration"] = new JsonObject(configuration.Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)entry.Value))),
                ["user"] = testCase.Login.User.DeepClone(),
                ["context"] = testCase.Login.Context.DeepClone(),
            }).ToArray()),
        });

        var settings = new RulePipelineSettings
        {
            Configuration = configuration,
            // Time limits are a deliberate difference (README); this suite compares decisions, not speed.
            Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) },
        };
        var pipelines = rules.ToDictionary(rule => rule.Id, rule => new RulePipeline(
            [RuleCompiler.Shared.Compile(RuleSource.Inline(rule.Id, rule.Source))], settings, new FixedTimeProvider(now)));
        var mismatches = new List<string>();
        var differencesSeen = new HashSet<(string Rule, string Field)>();
        for (var index = 0; index < cases.Count; index++)
        {
            var (rule, input, login) = cases[index];
            var ours = Comparable(pipelines[rule.Id].Evaluate(login));
            var theirs = node[index]!.AsObject();
            var declared = DeclaredDifferences(rule.Source);
            foreach (var field in Fields)
            {
                if (field == "error.description" && theirs["status"]!.GetValue<string>() == "timeout")
                {
                    continue;
                }

                var same = JsonNode.DeepEquals(Field(ours, field), Field(theirs, field));
                if (declared.Contains(field.Split('.')[0]))
                {
                    if (!same)
                    {
                        differencesSeen.Add((rule.Id, field.Split('.')[0]));
                    }
                }
                else if (!same)
                {
                    mismatches.Add($"{rule.Id} × {input}: {field}: RulesMfa {Field(ours, field)?.ToJsonString() ?? "null"}, Node.js {Field(theirs, field)?.ToJsonString() ?? "null"}");
                }
            }
        }

        var undemonstrated = rules.SelectMany(rule => DeclaredDifferences(rule.Source).Select(field => (rule.Id, field)))
            .Where(difference => !differencesSeen.Contains(difference)).ToList();
        TestContext.Out.WriteLine($"{rules.Count} rules × {logins.Count} inputs, {mismatches.Count} mismatches");
        foreach (var mismatch in mismatches)
        {
            TestContext.Out.WriteLine(mismatch);
        }
        Assert.Multiple(() =>
        {
            Assert.That(rules, Has.Count.GreaterThanOrEqualTo(40));
            Assert.That(logins, Has.Count.GreaterThanOrEqualTo(3));
            Assert.That(mismatches, Is.Empty, $"{rules.Count} rules × {logins.Count} inputs, {mismatches.Count} mismatches");
            Assert.That(undemonstrated, Is.Empty, "a declared deliberate difference that never showed");
        });
    }

    private static HashSet<string> DeclaredDifferences(string source)
    {
        var first = source.Split('\n')[0];
        const string marker = "// difference: ";
        return first.StartsWith(marker, StringComparison.Ordinal) ? [.. first[marker.Length..].Split(':')[0].Split(',').Select(field => field.Trim())] : [];
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

    private static JsonNode? Field(JsonObject result, string field) =>
        field.Split('.').Aggregate((JsonNode?)result, (node, name) => node is JsonObject obj ? obj[name] : null);
}
