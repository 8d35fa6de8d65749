using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Compilation;
using RulesMfa.Engine.Testing;
using RulesMfa.Host.Storage;
using RulesMfa.Host.Tenants;

namespace RulesMfa.Host.Admin;

/// <summary>
/// A tenant's rules: every save is validated (compiled, its test cases run), written as a new immutable version
/// and audited in one unit of work, so a refused save changes nothing.
/// </summary>
public sealed partial class RuleStore(
    RulesMfaDbContext database, TenantConfiguration configuration, AuditTrail audit, RuleCompiler compiler, SandboxMaximums maximums, TimeProvider clock)
{
    public const int MaxSourceLength = 100_000;
    public const int MaxTestsLength = 1_000_000;
    public const int MaxRulesPerTenant = 100;

    public async Task<IReadOnlyList<RuleSummary>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var rules = (await database.Rules.Where(rule => rule.TenantId == tenantId).ToListAsync(cancellationToken)).InRunOrder();
        return rules.Select(rule => new RuleSummary(rule.RuleId, KindOf(rule.Source), rule.Order, rule.Enabled, rule.Version, rule.VersionHash, rule.UpdatedAt)).ToList();
    }

    public async Task<RuleDetail?> GetAsync(string tenantId, string ruleId, CancellationToken cancellationToken) =>
        await FindAsync(tenantId, ruleId, cancellationToken) is { } rule ? Detail(rule) : null;

    /// <summary>Creates the rule or saves a new version of it; order and enabled change without a new version.</summary>
    public Task<RuleSaveOutcome> SaveAsync(string tenantId, string ruleId, RuleSave save, Actor actor, CancellationToken cancellationToken) =>
        SaveAsync(tenantId, ruleId, save, actor, restores: null, cancellationToken);

    private async Task<RuleSaveOutcome> SaveAsync(
        string tenantId, string ruleId, RuleSave save, Actor actor, int? restores, CancellationToken cancellationToken)
    {
        if (!RuleIdPattern().IsMatch(ruleId))
        {
            return Invalid("id", "use 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit");
        }

        var rule = await FindAsync(tenantId, ruleId, cancellationToken);
        if (rule is null && await database.Rules.CountAsync(record => record.TenantId == tenantId, cancellationToken) >= MaxRulesPerTenant)
        {
            return Invalid("id", $"a tenant holds at most {MaxRulesPerTenant} rules; delete one first");
        }

        var source = save.Source ?? rule?.Source;
        if (source is null)
        {
            return Invalid("source", "the rule's JavaScript source is required");
        }

        var testsJson = save.Tests is null ? rule?.TestsJson : save.Tests is JsonObject testObject ? testObject.ToJsonString() : "";
        if (Validate(compiler.For(tenantId), ruleId, source, testsJson) is { } invalid)
        {
            return invalid;
        }

        var (tests, testsInvalid) = await RunTestsAsync(tenantId, ruleId, source, testsJson, cancellationToken);
        if (testsInvalid is not null)
        {
            return testsInvalid;
        }

        if (!tests.Passed && !save.Force)
        {
            return new RuleSaveOutcome.TestsFailed(tests);
        }

        var now = clock.GetUtcNow();
        var versionHash = RuleCompiler.VersionHashOf(source);
        var isNew = rule is null;
        var oldHash = rule?.VersionHash;
        var changed = isNew || rule!.Source != source || rule.TestsJson != testsJson;
        rule ??= database.Rules.Add(new RuleRecord
        {
            TenantId = tenantId, RuleId = ruleId, Source = source,
            Order = save.Order ?? await NextOrderAsync(tenantId, cancellationToken),
        }).Entity;

        if (changed)
        {
            // After a delete the versions stay, so a rule saved again under the same id continues their numbering.
            rule.Version = isNew ? await LastVersionAsync(tenantId, ruleId, cancellationToken) + 1 : rule.Version + 1;
            rule.Source = source;
            rule.VersionHash = versionHash;
            rule.TestsJson = testsJson;
            rule.UpdatedAt = now;
            database.RuleVersions.Add(new RuleVersionRecord
            {
                TenantId = tenantId, RuleId = ruleId, Version = rule.Version, Source = source, VersionHash = versionHash, TestsJson = testsJson,
                CreatedAt = now, CreatedBy = actor.Name, Forced = !tests.Passed,
                Note = restores is { } restored ? $"restores version {restored}" : !tests.Passed ? "saved with failing tests" : null,
            });
            audit.Record(tenantId, actor, isNew ? "rule.created" : "rule.saved", ruleId, oldHash, versionHash, $"version {rule.Version}");
            if (restores is { } restoredVersion)
            {
                audit.Record(tenantId, actor, "rule.rolled-back", ruleId, oldHash, versionHash, $"version {rule.Version} restores version {restoredVersion}");
            }

            if (!tests.Passed)
            {
                audit.Record(tenantId, actor, "rule.forced", ruleId, oldHash, versionHash,
                    $"version {rule.Version} saved although {tests.Failed} of {tests.Cases} test cases failed");
            }
        }

        ApplyState(tenantId, rule, save.Order, save.Enabled, actor);
        await database.SaveChangesAsync(cancellationToken);
        return new RuleSaveOutcome.Saved(Detail(rule), tests, changed);
    }

    /// <summary>Changes a rule's order or enabled state; null when the rule does not exist.</summary>
    public async Task<RuleDetail?> SetStateAsync(string tenantId, string ruleId, int? order, bool? enabled, Actor actor, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, ruleId, cancellationToken) is not { } rule)
        {
            return null;
        }

        ApplyState(tenantId, rule, order, enabled, actor);
        await database.SaveChangesAsync(cancellationToken);
        return Detail(rule);
    }

    /// <summary>Removes a rule from the deployed set; its versions stay for the record.</summary>
    public async Task<bool> DeleteAsync(string tenantId, string ruleId, Actor actor, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, ruleId, cancellationToken) is not { } rule)
        {
            return false;
        }

        database.Rules.Remove(rule);
        audit.Record(tenantId, actor, "rule.deleted", ruleId, rule.VersionHash, null, $"version {rule.Version}");
        await database.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<RuleVersionSummary>> VersionsAsync(string tenantId, string ruleId, CancellationToken cancellationToken)
    {
        var versions = await database.RuleVersions.Where(version => version.TenantId == tenantId && version.RuleId == ruleId)
            .OrderByDescending(version => version.Version).ToListAsync(cancellationToken);
        return versions.Select(version => new RuleVersionSummary(version.Version, version.VersionHash, version.CreatedAt, version.CreatedBy, version.Forced, version.Note)).ToList();
    }

    public async Task<RuleVersionDetail?> VersionAsync(string tenantId, string ruleId, int version, CancellationToken cancellationToken) =>
        await database.RuleVersions.SingleOrDefaultAsync(record => record.TenantId == tenantId && record.RuleId == ruleId && record.Version == version, cancellationToken)
            is { } record
            ? new RuleVersionDetail(record.Version, record.VersionHash, record.CreatedAt, record.CreatedBy, record.Forced, record.Note, record.Source, ParseTests(record.TestsJson))
            : null;

    /// <summary>Saves an old version's source and tests as the newest version (its tests run again first).</summary>
    public async Task<RuleSaveOutcome> RollbackAsync(string tenantId, string ruleId, int version, bool force, Actor actor, CancellationToken cancellationToken)
    {
        if (await VersionAsync(tenantId, ruleId, version, cancellationToken) is not { } old)
        {
            return new RuleSaveOutcome.NotFound();
        }

        var restore = new RuleSave(old.Source, old.Tests ?? new JsonObject { ["cases"] = new JsonArray() }, null, null, force);
        return await SaveAsync(tenantId, ruleId, restore, actor, restores: version, cancellationToken);
    }

    /// <summary>
    /// What a save of <paramref name="source"/> with <paramref name="tests"/> would find, without saving: why it is invalid
    /// (a syntax error with its line and column, malformed tests), or its test cases' report.
    /// </summary>
    public async Task<(TestReport Report, IReadOnlyList<FieldError> Errors)> CheckAsync(
        string tenantId, string ruleId, string source, JsonNode? tests, CancellationToken cancellationToken)
    {
        var testsJson = tests is null ? null : tests is JsonObject testObject ? testObject.ToJsonString() : "";
        if (Validate(compiler.For(tenantId), ruleId, source, testsJson) is { } invalid)
        {
            return (TestReport.None, invalid.Errors);
        }

        var (report, testsInvalid) = await RunTestsAsync(tenantId, ruleId, source, testsJson, cancellationToken);
        return (report, testsInvalid?.Errors ?? []);
    }

    /// <summary>Whether <paramref name="ruleId"/> can name a rule: 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    public static bool IsValidId(string? ruleId) => ruleId is not null && RuleIdPattern().IsMatch(ruleId);

    /// <summary>Runs a saved rule's test cases; null when the rule does not exist.</summary>
    public async Task<TestReport?> RunSavedTestsAsync(string tenantId, string ruleId, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, ruleId, cancellationToken) is not { } rule)
        {
            return null;
        }

        return (await RunTestsAsync(tenantId, ruleId, rule.Source, rule.TestsJson, cancellationToken)).Report;
    }

    private void ApplyState(string tenantId, RuleRecord rule, int? order, bool? enabled, Actor actor)
    {
        if (order is { } newOrder && newOrder != rule.Order)
        {
            audit.Record(tenantId, actor, "rule.reordered", rule.RuleId, rule.VersionHash, rule.VersionHash, $"order {rule.Order} -> {newOrder}");
            rule.Order = newOrder;
        }

        if (enabled is { } newEnabled && newEnabled != rule.Enabled)
        {
            audit.Record(tenantId, actor, newEnabled ? "rule.enabled" : "rule.disabled", rule.RuleId, rule.VersionHash, rule.VersionHash);
            rule.Enabled = newEnabled;
        }
    }

    private static RuleSaveOutcome.Invalid? Validate(RuleCompiler compiler, string ruleId, string source, string? testsJson)
    {
        if (source.Length > MaxSourceLength)
        {
            return Invalid("source", $"a rule holds at most {MaxSourceLength:N0} characters");
        }

        if (testsJson is { Length: > MaxTestsLength })
        {
            return Invalid("tests", $"a rule's tests hold at most {MaxTestsLength:N0} characters");
        }

        if (testsJson == "")
        {
            return Invalid("tests", "must be an object: {\"cases\": [...]}");
        }

        try
        {
            compiler.Compile(RuleSource.Inline(ruleId, source));
            return null;
        }
        catch (RuleCompilationException invalid)
        {
            return new RuleSaveOutcome.Invalid([new FieldError("source", invalid.Description, invalid.Line, invalid.Column)]);
        }
    }

    /// <summary>The report (empty when there are no tests), or why the tests are malformed.</summary>
    private async Task<(TestReport Report, RuleSaveOutcome.Invalid? Invalid)> RunTestsAsync(
        string tenantId, string ruleId, string source, string? testsJson, CancellationToken cancellationToken)
    {
        if (testsJson is null)
        {
            return (TestReport.None, null);
        }

        RuleTestFile file;
        try
        {
            file = RuleTestFile.Parse($"tests of rule '{ruleId}'", testsJson);
        }
        catch (RuleTestFormatException invalid)
        {
            return (TestReport.None, Invalid("tests", invalid.Message));
        }

        var tenant = await database.Tenants.SingleAsync(record => record.Id == tenantId, cancellationToken);
        var limits = maximums.Effective(tenant.SettingsJson).Limits;
        var result = new RuleTestRunner(compiler.For(tenantId)).Run(file, [RuleSource.Inline(ruleId, source)], configuration.ValuesForRuns(tenant), limits);
        var cases = result.Cases.Select(testCase => new TestCaseResult(testCase.Case, testCase.Passed, testCase.Differences)).ToList();
        return (new TestReport(cases.Count, cases.Count(testCase => !testCase.Passed), cases), null);
    }

    private Task<RuleRecord?> FindAsync(string tenantId, string ruleId, CancellationToken cancellationToken) =>
        database.Rules.SingleOrDefaultAsync(rule => rule.TenantId == tenantId && rule.RuleId == ruleId, cancellationToken);

    private async Task<int> LastVersionAsync(string tenantId, string ruleId, CancellationToken cancellationToken) =>
        await database.RuleVersions.Where(version => version.TenantId == tenantId && version.RuleId == ruleId)
            .MaxAsync(version => (int?)version.Version, cancellationToken) ?? 0;

    private async Task<int> NextOrderAsync(string tenantId, CancellationToken cancellationToken) =>
        (await database.Rules.Where(rule => rule.TenantId == tenantId).MaxAsync(rule => (int?)rule.Order, cancellationToken) ?? 0) + 10;

    private static RuleDetail Detail(RuleRecord rule) =>
        new(rule.RuleId, KindOf(rule.Source), rule.Order, rule.Enabled, rule.Version, rule.VersionHash, rule.UpdatedAt, rule.Source, ParseTests(rule.TestsJson));

    private static string KindOf(string source) => RuleSource.DetectKind(source) == RuleKind.Action ? "action" : "rule";

    private static JsonNode? ParseTests(string? json) => json is null ? null : JsonNode.Parse(json);

    private static RuleSaveOutcome.Invalid Invalid(string field, string message) => new([new FieldError(field, message)]);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RuleIdPattern();
}
