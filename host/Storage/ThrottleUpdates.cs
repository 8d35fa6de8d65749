using Microsoft.EntityFrameworkCore;

namespace RulesMfa.Host.Storage;

/// <summary>
/// The write path of the password counters (<see cref="ThrottleRecord.Failures"/>): read, let the caller decide and edit,
/// save only if nobody else wrote the records since they were read (their <see cref="ThrottleRecord.Version"/>), otherwise
/// read again.
/// Several requests and hosts can therefore never lose each other's attempts.
/// </summary>
internal static class ThrottleUpdates
{
    private const int MaxWriteAttempts = 100;

    /// <summary>
    /// Several counters decided together and written in one transaction: all of them or none, each checked against the
    /// version it was read at. <paramref name="change"/> gets the records in the order of <paramref name="keys"/>.
    /// </summary>
    public static async Task<bool> UpdateAsync(RulesMfaDbContext database, TimeProvider clock, IReadOnlyList<string> keys,
        Func<string, DateTimeOffset, ThrottleRecord> create, Func<IReadOnlyList<ThrottleRecord>, DateTimeOffset, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var stored = await database.Throttles.AsNoTracking().Where(throttle => keys.Contains(throttle.Key)).ToDictionaryAsync(throttle => throttle.Key, cancellationToken);
            var records = keys.Select(key => stored.GetValueOrDefault(key) ?? create(key, now)).ToList();
            var versions = records.Select(record => record.Version).ToList();
            if (!change(records, now))
            {
                return false;
            }

            var entries = records.Select((record, index) =>
            {
                record.Version = versions[index] + 1;
                var entry = stored.ContainsKey(record.Key) ? database.Throttles.Update(record) : database.Throttles.Add(record);
                entry.Property(throttle => throttle.Version).OriginalValue = versions[index];
                return entry;
            }).ToList();
            var inserted = records.Where(record => !stored.ContainsKey(record.Key)).Select(record => record.Key).ToList();
            try
            {
                await database.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxWriteAttempts)
            {
                // Another request updated a counter since it was read: read them again.
            }
            catch (DbUpdateException) when (attempt < MaxWriteAttempts && inserted.Count > 0)
            {
                // Another request may have created a new counter first (its key is the primary key): whatever the provider's
                // error code, that is so when the key is stored now; then read them again, otherwise the error stands.
                entries.ForEach(entry => entry.State = EntityState.Detached);
                if (!await database.Throttles.AnyAsync(throttle => inserted.Contains(throttle.Key), cancellationToken))
                {
                    throw;
                }
            }
            finally
            {
                entries.ForEach(entry => entry.State = EntityState.Detached);
            }
        }
    }
}
