using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RulesMfa.Tests.Login;

/// <summary>
/// Holds each request after its first read of the throttle counters (once the rows are read) until every request of a
/// burst has read them, so all of them have seen the counters before any of them writes: the race a lockout must
/// survive, made certain instead of likely.
/// </summary>
internal sealed class ThrottleReadBarrier(int requests)
{
    // Generous: only reached when a request never reads the counters, and then the request fails loudly.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(1);

    private readonly TaskCompletionSource everyoneRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int arrived;

    /// <summary>The interceptor of one request's database context.</summary>
    public IInterceptor ForOneRequest() => new FirstReadInterceptor(this);

    private Task ArriveAsync()
    {
        if (Interlocked.Increment(ref arrived) == requests)
        {
            everyoneRead.SetResult();
        }

        return everyoneRead.Task.WaitAsync(GiveUpAfter);
    }

    private sealed class FirstReadInterceptor(ThrottleReadBarrier barrier) : DbCommandInterceptor
    {
        private bool waited;

        public override async ValueTask<InterceptionResult> DataReaderClosingAsync(
            System.Data.Common.DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (!waited && command.CommandText.Contains("\"Throttles\"", StringComparison.Ordinal))
            {
                waited = true;
                await barrier.ArriveAsync();
            }

            return result;
        }
    }
}
