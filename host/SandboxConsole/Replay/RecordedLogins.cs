using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Context;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.SandboxConsole.Replay;

/// <summary>One recorded login: who, when, on which client, what was decided, and the exact input its rules saw (secrets redacted).</summary>
public sealed record RecordedLogin(
    long Id, DateTimeOffset At, string UserId, string? UserEmail, string? ClientId, string Protocol, string? Outcome, string Plan, JsonNode? Input, JsonNode? Decision);

/// <summary>The decision log read for the console: searched by user, client, outcome and time, and one login with its exact input.</summary>
public sealed class RecordedLogins(RulesMfaDbContext database)
{
    private static readonly string[] Outcomes = ["allow", "mfa", "deny"];

    /// <summary>The logins that match, newest first; or the field that is wrong.</summary>
    public async Task<(IReadOnlyList<RecordedLogin> Logins, Admin.FieldError? Problem)> SearchAsync(
        string tenantId, DecisionQuery query, CancellationToken cancellationToken)
    {
        if (query.Outcome is { Length: > 0 } outcome && !Outcomes.Contains(outcome))
        {
            return ([], new Admin.FieldError("outcome", "must be allow, mfa or deny"));
        }

        var records = database.Decisions.AsNoTracking().Where(record => record.TenantId == tenantId);
        if (query.User is { Length: > 0 } user)
        {
            var ids = database.Users.Where(record => record.TenantId == tenantId && (record.Id == user || record.Email.Contains(user.ToLower()))).Select(record => record.Id);
            records = records.Where(record => ids.Contains(record.UserId));
        }

        if (query.Client is { Length: > 0 } client)
        {
            records = records.Where(record => record.ClientId == client);
        }

        if (query.Outcome is { Length: > 0 } wanted)
        {
            records = records.Where(record => record.Outcome == wanted);
        }

        // The log keeps the newest 5,000 logins per tenant; SQLite cannot compare DateTimeOffset values, so the time bounds
        // apply in memory.
        var found = await records.OrderByDescending(record => record.Id).Take(5_000).ToListAsync(cancellationToken);
        var matching = found.Where(record => (query.From is null || record.At >= query.From) && (query.To is null || record.At <= query.To))
            .Take(Math.Clamp(query.Limit ?? 20, 1, 200)).ToList();
        var emails = await EmailsAsync(matching.Select(record => record.UserId), cancellationToken);
        return (matching.Select(record => View(record, emails)).ToList(), null);
    }

    /// <summary>One recorded login with the input its rules saw and its decision; null when the tenant has no such login.</summary>
    public async Task<RecordedLogin?> GetAsync(string tenantId, long id, CancellationToken cancellationToken)
    {
        var record = await database.Decisions.AsNoTracking().SingleOrDefaultAsync(record => record.Id == id && record.TenantId == tenantId, cancellationToken);
        return record is null ? null : View(record, await EmailsAsync([record.UserId], cancellationToken));
    }

    /// <summary>
    /// A stored document: the metadata and claims in it nest at most two levels below the login's own limit. One deeper
    /// (stored before the limit existed, or written straight into the database) is replaced by a note, so that it cannot stop
    /// the list from being read.
    /// </summary>
    public static JsonNode? Stored(string json) => JsonNesting.TryParse(json, out var node, JsonNesting.MaxLevels + 2)
        ? node
        : JsonValue.Create($"not shown: nested deeper than {JsonNesting.MaxLevels + 2} levels");

    private static RecordedLogin View(DecisionRecord record, Dictionary<string, string> emails)
    {
        var decision = Stored(record.DecisionJson);
        var outcome = record.Outcome ?? (decision is JsonObject recorded && recorded["outcome"] is JsonValue value ? value.ToString() : null);
        return new(record.Id, record.At, record.UserId, emails.GetValueOrDefault(record.UserId), record.ClientId, record.Protocol, outcome, record.Plan,
            Stored(record.InputJson), decision);
    }

    private async Task<Dictionary<string, string>> EmailsAsync(IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        return await database.Users.AsNoTracking().Where(user => ids.Contains(user.Id)).ToDictionaryAsync(user => user.Id, user => user.Email, cancellationToken);
    }
}
