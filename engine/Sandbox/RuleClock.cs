using System.Globalization;
using Jint.Runtime;

namespace RulesMfa.Engine.Sandbox;

/// <summary>The clock rules see (<c>Date</c>, <c>Date.now()</c>): the caller's <see cref="TimeProvider"/>, in UTC.</summary>
internal sealed class RuleClock(TimeProvider time) : ITimeSystem
{
    private readonly DefaultTimeSystem utc = new(TimeZoneInfo.Utc, CultureInfo.InvariantCulture);

    public TimeZoneInfo DefaultTimeZone => TimeZoneInfo.Utc;

    public DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public bool TryParse(string date, out long epochMilliseconds) => utc.TryParse(date, out epochMilliseconds);

    public TimeSpan GetUtcOffset(long epochMilliseconds) => TimeSpan.Zero;
}
