namespace RulesMfa.Host.SandboxConsole.Backtest;

/// <summary>The audit lines of backtests (event ids 1160–1169).</summary>
internal static partial class BacktestLog
{
    [LoggerMessage(1160, LogLevel.Information, "Audit {AuditEvent}: {Actor} started backtest {BacktestId} of tenant {TenantId} on the newest {Logins} recorded logins")]
    public static partial void BacktestStarted(this ILogger logger, string actor, string backtestId, string tenantId, int logins, string auditEvent = "backtest.started");

    [LoggerMessage(1161, LogLevel.Information, "Audit {AuditEvent}: backtest {BacktestId} of tenant {TenantId} ended {State}: {Changed} of {Compared} logins decided differently")]
    public static partial void BacktestEnded(
        this ILogger logger, string backtestId, string tenantId, string state, int changed, int compared, string auditEvent = "backtest.ended");

    [LoggerMessage(1162, LogLevel.Error, "Audit {AuditEvent}: backtest {BacktestId} of tenant {TenantId} failed")]
    public static partial void BacktestFailed(this ILogger logger, Exception exception, string backtestId, string tenantId, string auditEvent = "backtest.failed");
}
