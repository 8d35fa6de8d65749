using Serilog.Core;
using Serilog.Events;

namespace RulesMfa.Host.Cli;

/// <summary>Audit events of a CLI run, on the command's own output (their templates never hold a secret).</summary>
internal sealed class CliAuditSink(TextWriter writer) : ILogEventSink
{
    public void Emit(LogEvent logEvent) => writer.WriteLine($"[{logEvent.Level}] {logEvent.RenderMessage()}");
}
