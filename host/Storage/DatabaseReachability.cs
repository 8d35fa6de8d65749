using System.Net.Sockets;
using Npgsql;

namespace RulesMfa.Host.Storage;

/// <summary>
/// Whether the configured PostgreSQL answers, asked once before the server or a CLI verb starts on it, so that a wrong host,
/// port, database or password is one line naming where (never the password), not a stack trace.
/// </summary>
internal static class DatabaseReachability
{
    /// <summary>Null when the database answers (SQLite always does: the file is made on first start); else what failed and where.</summary>
    public static async Task<string?> ProblemAsync(DatabaseTarget target, DataFolder folder, CancellationToken cancellationToken)
    {
        if (target.Provider != StorageProvider.PostgreSql)
        {
            return null;
        }

        try
        {
            await using var connection = new NpgsqlConnection(target.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return null;
        }
        catch (NpgsqlException failed)
        {
            return $"cannot open the database {target.Location(folder)} ({DatabaseTarget.ConnectionStringSetting}): {Reason(failed)}";
        }
    }

    // PostgreSQL's own words (a wrong password, a missing database) or the network's; neither holds the connection string.
    private static string Reason(NpgsqlException failed) => failed switch
    {
        PostgresException refused => refused.MessageText,
        { InnerException: SocketException network } => network.Message,
        { InnerException: TimeoutException } => "no answer in time",
        _ => failed.Message,
    };
}
