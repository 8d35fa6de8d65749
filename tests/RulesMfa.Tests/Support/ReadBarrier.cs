using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RulesMfa.Tests.Support;

/// <summary>
/// Makes a read-then-write race certain instead of lucky: each participant, once it has read <c>table</c> for the first
/// time (its rows consumed), waits until every participant has, so all of them decide on the same stale rows before any
/// of them writes. A write that is not atomic (no condition, no version) then lets every participant through.
/// </summary>
/// <param name="waitAtMost">
/// Unset, a participant that waits a minute fails. Set, it goes on alone after this long: for a protection that is a lock
/// taken before the read, under which the participants cannot all reach the read (each then waits this long, in turn),
/// while without the lock they meet and decide on the same stale rows.
/// </param>
internal sealed class ReadBarrier(int participants, string table, TimeSpan? waitAtMost = null)
{
    // Generous: only reached when a participant never reads the table, and then it fails loudly.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(1);

    private readonly TaskCompletionSource everyoneRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<DbContextId, DbCommandInterceptor> rented = new();
    private int arrived;

    /// <summary>The interceptor of one participant's database context.</summary>
    public IInterceptor ForOneParticipant() => new FirstStatementInterceptor(this, meetsBeforeAWrite: false);

    /// <summary>
    /// The participant of one context rented from a server's pool (<see cref="ArmedReadBarrier"/>): a lease is one
    /// request's context, and a pooled context's interceptors are built once for all its leases.
    /// </summary>
    public DbCommandInterceptor ForRentedContext(DbContextId lease) => rented.GetOrAdd(lease, _ => new FirstStatementInterceptor(this, meetsBeforeAWrite: false));

    /// <summary>
    /// For a protection that is one conditional write instead of a read then a write: a participant whose first statement
    /// on the table is a write (<c>UPDATE</c>, <c>INSERT</c>) waits just before it, so all the writes meet the same state;
    /// one that reads first still waits after its read, so an implementation that reads, decides, then writes is caught.
    /// </summary>
    public IInterceptor ForOneParticipantMeetingAtItsFirstStatement() => new FirstStatementInterceptor(this, meetsBeforeAWrite: true);

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

        return waitAtMost is { } most ? Task.WhenAny(everyoneRead.Task, Task.Delay(most)) : everyoneRead.Task.WaitAsync(GiveUpAfter);
    }

    private sealed class FirstStatementInterceptor(ReadBarrier barrier, bool meetsBeforeAWrite) : DbCommandInterceptor
    {
        // Shared by every context of a pooled server (TwoHostTests' hosts): only its first statement on the table waits.
        private int waited;

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (meetsBeforeAWrite && IsFirstOnTheTable(command))
            {
                await barrier.ArriveAsync();
            }

            return result;
        }

        public override InterceptionResult DataReaderClosing(System.Data.Common.DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (IsFirstOnTheTable(command))
            {
                barrier.ArriveAsync().GetAwaiter().GetResult();
            }

            return result;
        }

        public override async ValueTask<InterceptionResult> DataReaderClosingAsync(
            System.Data.Common.DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (IsFirstOnTheTable(command))
            {
                await barrier.ArriveAsync();
            }

            return result;
        }

        private bool IsFirstOnTheTable(System.Data.Common.DbCommand command)
        {
            return command.CommandText.Contains($"\"{barrier.Table}\"", StringComparison.Ordinal) && Interlocked.Exchange(ref waited, 1) == 0;
        }
    }

    private string Table => table;
}
