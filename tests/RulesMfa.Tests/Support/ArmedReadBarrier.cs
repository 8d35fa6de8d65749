using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RulesMfa.Tests.Support;

/// <summary>
/// A server's interceptor for a <see cref="ReadBarrier"/> armed by one test at a time: the server's contexts are pooled,
/// so their interceptors are configured once, at start; while <see cref="Armed"/> is set, each rented context (each
/// request's) is one of its participants.
/// </summary>
internal sealed class ArmedReadBarrier : DbCommandInterceptor
{
    public ReadBarrier? Armed { get; set; }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        Participant(eventData)?.NonQueryExecutingAsync(command, eventData, result, cancellationToken) ?? ValueTask.FromResult(result);

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result) =>
        Participant(eventData)?.DataReaderClosing(command, eventData, result) ?? result;

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result) =>
        Participant(eventData)?.DataReaderClosingAsync(command, eventData, result) ?? ValueTask.FromResult(result);

    private DbCommandInterceptor? Participant(DbContextEventData eventData) =>
        Armed is { } barrier && eventData.Context is { } context ? barrier.ForRentedContext(context.ContextId) : null;
}
