using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RulesMfa.Tests.Support;

/// <summary>
/// Makes a read-then-write race certain instead of lucky: each participant, once it has read <c>table</c> for the first
/// time (its rows consumed), waits until every participant has, so all of them decide on the same stale rows before any
/// of them writes. A write that is not atomic (no condition, no version) then lets every participant through.
/// </summary>
internal sealed class ReadBarrier(int participants, string table)
{
    // Generous: only reached when a participant never reads the table, and then it fails loudly.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(1);

    private readonly TaskCompletionSource everyoneRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int arrived;

    /// <summary>The interceptor of one participant's database context.</summary>
    public IInterceptor ForOneParticipant() => new FirstReadInterceptor(this);

    /// <summary>
    /// For participants that start together instead of meeting at their first read: where the protection under test is a
    /// lock taken before that read, a participant waiting at the read would hold the lock the others wait for.
    /// </summary>
    public Task StartTogetherAsync() => ArriveAsync();

    private Task ArriveAsync()
    {
        if (Interlocked.Increment(ref arrived) == participants)
        {
            everyoneRead.SetResult();
        }

        return everyoneRead.Task.WaitAsync(GiveUpAfter);
    }

    private sealed class FirstReadInterceptor(ReadBarrier barrier) : DbCommandInterceptor
    {
        private bool waited;

        public override InterceptionResult DataReaderClosing(System.Data.Common.DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (IsFirstRead(command))
            {
                barrier.ArriveAsync().GetAwaiter().GetResult();
            }

            return result;
        }

        public override async ValueTask<InterceptionResult> DataReaderClosingAsync(
            System.Data.Common.DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (IsFirstRead(command))
            {
                await barrier.ArriveAsync();
            }

            return result;
        }

        private bool IsFirstRead(System.Data.Common.DbCommand command)
        {
            if (waited || !command.CommandText.Contains($"\"{barrier.Table}\"", StringComparison.Ordinal))
            {
                return false;
            }

            waited = true;
            return true;
        }
    }

    private string Table => table;
}
