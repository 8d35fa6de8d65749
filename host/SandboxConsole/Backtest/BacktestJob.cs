using System.Text.Json.Serialization;

namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>
/// One tenant's backtest as its status page shows it: who started it and when, how far it got (<see cref="Done"/> of
/// <see cref="Total"/>), why it is paused (<see cref="Waiting"/>: the budget or logins go first), and its result or failure.
/// Written by the job's own task, read by status requests.
/// </summary>
public sealed class BacktestJob(string id, string startedBy, DateTimeOffset startedAt, int requested)
{
    private readonly CancellationTokenSource cancellation = new();
    private volatile string state = "running";
    private volatile string? waiting;
    private volatile BacktestResult? result;
    private volatile string? failure;
    private int done;
    private int total = requested;

    public string Id => id;

    public string StartedBy => startedBy;

    public DateTimeOffset StartedAt => startedAt;

    /// <summary><c>running</c>, <c>done</c>, <c>cancelled</c> or <c>failed</c>.</summary>
    public string State => state;

    public int Done => Volatile.Read(ref done);

    public int Total => Volatile.Read(ref total);

    public string? Waiting => waiting;

    public string? Failure => failure;

    public BacktestResult? Result => result;

    [JsonIgnore]
    public CancellationToken Cancellation => cancellation.Token;

    [JsonIgnore]
    public bool IsRunning => state == "running";

    internal void Found(int logins) => Volatile.Write(ref total, logins);

    internal void Progress(int logins, string? pausedBecause)
    {
        Volatile.Write(ref done, logins);
        waiting = pausedBecause;
    }

    internal void Cancel() => cancellation.Cancel();

    internal void Finish(BacktestResult found)
    {
        result = found;
        waiting = null;
        state = "done";
    }

    internal void Fail(string why, bool cancelled)
    {
        failure = why;
        waiting = null;
        state = cancelled ? "cancelled" : "failed";
    }
}
