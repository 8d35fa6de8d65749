using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace RulesMfa.Host.Storage;

/// <summary>
/// Applies the pending migrations one host at a time. Several hosts may start together on one PostgreSQL database, and
/// EF Core's own migration lock lasts only as long as each migration's transaction, so two hosts could each apply the
/// same later migration (<c>column "..." already exists</c>). A session advisory lock held around the whole run
/// serialises them: the host that waited then finds nothing pending. (SQLite has one host per file.)
/// </summary>
internal static class DatabaseMigrations
{
    // Any fixed number no other advisory lock on the database uses: "RULESMFA" in ASCII.
    private const long LockKey = 0x52554C45534D4641;

    public static async Task MigrateAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (!database.IsNpgsql())
        {
            await database.MigrateAsync(cancellationToken);
            return;
        }

        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey})", cancellationToken);
            try
            {
                await database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
