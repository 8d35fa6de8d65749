using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RulesMfa.Tests.Support;

/// <summary>
/// What each rented database context (a lease from the server's pool: one request's context) did, in order: <see cref="Opened"/> when it opened a connection (a rental from the pool),
/// each statement's SQL, <see cref="Closed"/> when it gave the connection back. Given to every context of a server
/// (<c>ConfigureDbContext</c>); <see cref="Clear"/> before the request under test.
/// </summary>
internal sealed class ConnectionRecorder : DbConnectionInterceptor, IDbCommandInterceptor
{
    public const string Opened = "(connection opened)";
    public const string Closed = "(connection closed)";

    private readonly ConcurrentDictionary<DbContextId, ConcurrentQueue<string>> byContext = new();

    public void Clear() => byContext.Clear();

    /// <summary>The events of the one context that ran a statement containing <paramref name="sql"/> (a request's scoped context).</summary>
    public IReadOnlyList<string> OfTheContextThatRan(string sql)
    {
        var contexts = byContext.Values.Where(events => events.Any(item => item.Contains(sql, StringComparison.Ordinal))).ToList();
        Assert.That(contexts, Has.Count.EqualTo(1), $"contexts that ran '{sql}'");
        return [.. contexts[0]];
    }

    public static IReadOnlyList<string> Statements(IReadOnlyList<string> events) => events.Where(item => item is not (Opened or Closed)).ToList();

    public static int Opens(IEnumerable<string> events) => events.Count(item => item == Opened);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Record(eventData.Context, Opened);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context, Opened);
        return Task.CompletedTask;
    }

    public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Record(eventData.Context, Closed);

    public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Record(eventData.Context, Closed);
        return Task.CompletedTask;
    }

    public DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        Record(eventData.Context, result.CommandText);
        return result;
    }

    private void Record(DbContext? context, string item)
    {
        if (context is not null)
        {
            byContext.GetOrAdd(context.ContextId, _ => new ConcurrentQueue<string>()).Enqueue(item);
        }
    }
}
