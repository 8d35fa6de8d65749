using System.Text.Json.Nodes;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Context;
using RulesMfa.Engine.Decisions;
using RulesMfa.Engine.Evaluation;
using RulesMfa.Engine.Migration;
using RulesMfa.Tests.Support;

namespace RulesMfa.Tests.Differential;

/// <summary>
/// Every Rule of the differential corpus that <c>rulesmfa migrate</c> translates completely becomes an Action that
/// decides as the Rule does on every login: outcome, MFA request, deny description, claims and metadata. (Actions
/// have no deny codes: <c>api.access.deny</c> is always <c>access_denied</c>, as in Auth0.) The Rules it cannot
/// translate completely are exactly those that use Rules-only features.
/// </summary>
public sealed class MigrationDifferentialTests
{
    /// <summary>Corpus rules using what Actions do not have: writing configuration, replacing context, another user's metadata, a computed multifactor.</summary>
    private static readonly string[] RulesOnly = ["33-configuration-write", "34-context-replaced", "36-update-other-user", "41-redirect-free-deny-message"];

    /// <summary>
    /// Where a faithful translation still decides otherwise, because Actions see a different view (README, "Migrating
    /// Rules to Actions"): the Actions event fills a missing <c>app_metadata</c>, geo location and login count with
    /// defaults, and <c>setCustomClaim</c> copies its value when called while a Rule's claims are read when it ends.
    /// Each listed pair must really differ, so the list cannot outlive its reason.
    /// </summary>
    private static readonly Dictionary<(string Rule, string Login), string> ActionsViewDifferences = new()
    {
        [("05-async-metadata", "sparse-profile")] = "event.request.geoip is {} when the login has no geo location",
        [("07-throws-on-missing-geo", "sparse-profile")] = "event.request.geoip is {} when the login has no geo location",
        [("20-promise-rejects", "sparse-profile")] = "event.user.app_metadata is never undefined",
        [("25-first-logins", "sparse-profile")] = "event.stats.logins_count is 0 when the login has no statistics",
        [("43-settimeout-callback", "admin-in-office")] = "setCustomClaim copies the array before a later timer adds to it",
        [("43-settimeout-callback", "ipv6-traveller")] = "setCustomClaim copies the array before a later timer adds to it",
        [("43-settimeout-callback", "sparse-profile")] = "setCustomClaim copies the array before a later timer adds to it",
        [("43-settimeout-callback", "stale-mfa-outside")] = "setCustomClaim copies the array before a later timer adds to it",
    };

    private static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "differential");

    [Test]
    public void EveryMigratedAction_DecidesAsItsRuleDoes()
    {
        var setup = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "logins.json")))!.AsObject();
        var now = DateTimeOffset.Parse(setup["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var settings = new RulePipelineSettings
        {
            Configuration = setup["configuration"]!.AsObject().ToDictionary(entry => entry.Key, entry => entry.Value!.GetValue<string>()),
            Limits = { RuleTimeout = TimeSpan.FromSeconds(5), PipelineTimeout = TimeSpan.FromSeconds(10) },
        };
        var logins = setup["logins"]!.AsArray().Select(login => (Name: login!["name"]!.GetValue<string>(),
            Login: LoginContext.Create(login["user"]!.AsObject(), login["context"]!.AsObject()))).ToList();
        var rules = Directory.GetFiles(Path.Combine(Folder, "rules"), "*.js").Order(StringComparer.Ordinal)
            .Select(path => (Id: Path.GetFileNameWithoutExtension(path), Source: File.ReadAllText(path))).ToList();

        var migrations = rules.ToDictionary(rule => rule.Id, rule => RuleMigrator.Migrate(rule.Id, rule.Source));
        var migrated = rules.Where(rule => migrations[rule.Id].Complete).ToList();
        var mismatches = new List<string>();
        var differencesSeen = new HashSet<(string, string)>();
        foreach (var rule in migrated)
        {
            var asRule = Pipeline(rule.Id, rule.Source, settings, now);
            var asAction = Pipeline(rule.Id, migrations[rule.Id].Action, settings, now);
            Assert.That(asAction.Rules.Single().Kind, Is.EqualTo(RuleKind.Action), migrations[rule.Id].Action);
            foreach (var (name, login) in logins)
            {
                var expected = Comparable(asRule.Evaluate(login));
                var actual = Comparable(asAction.Evaluate(login));
                if (ActionsViewDifferences.ContainsKey((rule.Id, name)))
                {
                    if (!JsonNode.DeepEquals(expected, actual))
                    {
                        differencesSeen.Add((rule.Id, name));
                    }
                }
                else if (!JsonNode.DeepEquals(expected, actual))
                {
                    mismatches.Add($"{rule.Id} × {name}: Rule {expected.ToJsonString()}, Action {actual.ToJsonString()}");
                }
            }
        }

        TestContext.Out.WriteLine($"{migrated.Count} of {rules.Count} rules migrated × {logins.Count} inputs, {mismatches.Count} mismatches");
        Assert.Multiple(() =>
        {
            Assert.That(rules.Where(rule => !migrations[rule.Id].Complete).Select(rule => rule.Id), Is.EqualTo(RulesOnly),
                "the rules migrate cannot translate completely are those with Rules-only features");
            Assert.That(mismatches, Is.Empty);
            Assert.That(ActionsViewDifferences.Keys.Where(pair => !differencesSeen.Contains(pair)), Is.Empty, "a listed Actions-view difference that no longer shows");
            Assert.That(migrated, Has.Count.GreaterThanOrEqualTo(40));
        });
    }

    private static RulePipeline Pipeline(string id, string source, RulePipelineSettings settings, DateTimeOffset now) =>
        new([RuleCompiler.Shared.Compile(RuleSource.Inline(id, source))], settings, new FixedTimeProvider(now));

    private static JsonObject Comparable(MfaDecision decision) => new()
    {
        ["outcome"] = decision.Outcome.ToString(),
        ["multifactor"] = decision.Outcome == DecisionOutcome.Deny ? null : decision.Multifactor?.DeepClone(),
        // A fault's description names the rule's form ("never called its callback", "never settled"): compare only that it is one.
        ["error"] = decision.Error is null ? null : decision.Rules.Single().Status is RuleStatus.Timeout ? "fault" : decision.Error.Description,
        ["idTokenClaims"] = decision.Outcome == DecisionOutcome.Deny ? null : decision.IdTokenClaims.DeepClone(),
        ["accessTokenClaims"] = decision.Outcome == DecisionOutcome.Deny ? null : decision.AccessTokenClaims.DeepClone(),
        ["appMetadata"] = decision.AppMetadata.DeepClone(),
        ["userMetadata"] = decision.UserMetadata.DeepClone(),
    };
}
