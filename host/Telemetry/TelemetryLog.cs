namespace RulesMfa.Host.Telemetry;

/// <summary>Log events of Telemetry/ (ids 1220-1239).</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(1220, LogLevel.Warning, "Not ready: the database did not answer a trivial query ({ErrorType})")]
    public static partial void DatabaseNotReady(this ILogger logger, string errorType);
}
