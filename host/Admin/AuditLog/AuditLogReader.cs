using Microsoft.EntityFrameworkCore;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Admin.AuditLog;

/// <summary>
/// The tenant's audit log read a page at a time, newest first (by id: events are numbered as they are written), filtered by
/// type, actor and time.
/// </summary>
public sealed class AuditLogReader(RulesMfaDbContext database)
{
    /// <summary>
    /// One request reads at most this many events (5,000) to fill a page: SQLite cannot compare DateTimeOffset values, so the
    /// time bounds apply to the events read. A page cut short by it still has a cursor, and the next page goes on from there.
    /// </summary>
    public const int MaxScanned = 5_000;

    private const int Batch = 500;

    public async Task<AuditPage> PageAsync(string tenantId, AuditQuery query, CancellationToken cancellationToken)
    {
        var matching = Matching(tenantId, query);
        var events = new List<AuditEntry>();
        var cursor = query.Before ?? long.MaxValue;
        for (var scanned = 0; scanned < MaxScanned;)
        {
            var batch = await matching.Where(record => record.Id < cursor).OrderByDescending(record => record.Id).Take(Batch).ToListAsync(cancellationToken);
            foreach (var record in batch)
            {
                cursor = record.Id;
                scanned++;
                if (query.From is { } from && record.At < from)
                {
                    // Every older event is older still: nothing more matches.
                    return new AuditPage(events, null);
                }

                if (query.To is null || record.At <= query.To)
                {
                    events.Add(View(record));
                    if (events.Count == query.Limit)
                    {
                        return new AuditPage(events, await matching.AnyAsync(older => older.Id < cursor, cancellationToken) ? cursor : null);
                    }
                }
            }

            if (batch.Count < Batch)
            {
                return new AuditPage(events, null);
            }
        }

        return new AuditPage(events, cursor);
    }

    private IQueryable<AuditRecord> Matching(string tenantId, AuditQuery query)
    {
        var records = database.Audit.AsNoTracking().Where(record => record.TenantId == tenantId);
        if (query.Action is { } action)
        {
            var family = action + ".";
            records = records.Where(record => record.Action == action || record.Action.StartsWith(family));
        }

        if (query.Actor is { } actor)
        {
            records = records.Where(record => record.Actor.Contains(actor));
        }

        return records;
    }

    private static AuditEntry View(AuditRecord record) =>
        new(record.Id, record.At, record.Actor, record.Action, record.Target, record.OldHash, record.NewHash, record.Detail);
}
