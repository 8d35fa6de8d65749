using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RulesMfa.Tests.Support;

/// <summary>
/// Makes a read-then-write race certain instead of lucky: each participant's first read of <paramref name="table"/> waits
/// until every participant has read it, so all of them decide on the same stale row before any of them writes. A
/// write that is not atomic (no condition, no version) then lets every participant through.
/// </summary>
internal sealed class ReadBarrier(int participants, string table)
{
    private readonly Barrier barrier = new(participants);

    /// <summary>The interceptor of one participant's context (each participant is counted once, at its first read).</summary>
    public IInterceptor ForOneParticipant() => new Participant(this);

    private void Arrive()
    {
        if (!barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"Not every participant read {table} within 30 s.");
        }
    }

    private sealed class Participant(ReadBarrier owner) : DbCommandInterceptor
    {
        private bool arrived;

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            WaitAtFirstRead(command);
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            WaitAtFirstRead(command);
            return ValueTask.FromResult(result);
        }

        private void WaitAtFirstRead(DbCommand command)
        {
            if (arrived || !command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                || !command.CommandText.Contains($"\"{owner.Table}\"", StringComparison.Ordinal))
            {
                return;
            }

            arrived = true;
            owner.Arrive();
        }
    }

    private string Table => table;
}
