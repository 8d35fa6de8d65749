using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace RulesMfa.Host.Storage;

/// <summary>
/// The one write path of <see cref="ThrottleRecord"/> counters: read, let the caller decide and edit, save only if
/// nobody else wrote the record since it was read (its <see cref="ThrottleRecord.Version"/>), otherwise read again.
/// Several requests and hosts can therefore never lose each other's attempts.
/// </summary>
internal static class ThrottleUpdates
{
    private const int MaxWriteAttempts = 100;

    /// <param name="database">The request's context; the record is detached again after each write.</param>
    /// <param name="clock">The time handed to <paramref name="change"/>.</param>
    /// <param name="key">The counter.</param>
    /// <param name="create">A new counter, when there is none yet.</param>
    /// <param name="change">Decides and edits; false means "do not write", and is returned.</param>
    /// <param name="cancellationToken">Cancels the read or write.</param>
    public static async Task<bool> UpdateAsync(RulesMfaDbContext database, TimeProvider clock, string key,
        Func<DateTimeOffset, ThrottleRecord> create, Func<ThrottleRecord, DateTimeOffset, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var stored = await database.Throttles.AsNoTracking().SingleOrDefaultAsync(throttle => throttle.Key == key, cancellationToken);
            var record = stored ?? create(now);
            var version = record.Version;
            if (!change(record, now))
            {
                return false;
            }

            record.Version = version + 1;
            var entry = stored is null ? database.Throttles.Add(record) : database.Throttles.Update(record);
            entry.Property(throttle => throttle.Version).OriginalValue = version;
            try
            {
                await database.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException exception) when (attempt < MaxWriteAttempts && IsLostRace(exception))
            {
                // Another request updated the counter, or created it first: read it again.
            }
            finally
            {
                entry.State = EntityState.Detached;
            }
        }
    }

    // SQLITE_CONSTRAINT_PRIMARYKEY / SQLITE_CONSTRAINT_UNIQUE: two requests inserted the same new key at once.
    private static bool IsLostRace(DbUpdateException exception) =>
        exception is DbUpdateConcurrencyException
        || exception.InnerException is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };
}
