namespace RulesMfa.Engine.Evaluation;

/// <summary>A clock stopped at one instant: what <c>--now</c> and a test case's <c>now</c> give the rules.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now;
}
