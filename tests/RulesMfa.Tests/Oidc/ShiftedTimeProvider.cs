namespace RulesMfa.Tests.Oidc;

/// <summary>The real clock, moved forward by <see cref="Offset"/> when a test needs time to pass (timers and timestamps keep running).</summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
