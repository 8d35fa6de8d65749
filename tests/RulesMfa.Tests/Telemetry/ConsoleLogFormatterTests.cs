using Serilog.Events;
using Serilog.Parsing;
using RulesMfa.Host.Telemetry;

namespace RulesMfa.Tests.Telemetry;

public sealed class ConsoleLogFormatterTests
{
    [Test]
    public void Format_ValueWithLineBreaksEscapesAndSeparators_IsOneLine_WithThemEscaped()
    {
        var template = new MessageTemplateParser().Parse("Rule {RuleId} faulted: {Description}");
        var logEvent = new LogEvent(new DateTimeOffset(2026, 12, 6, 9, 30, 5, TimeSpan.Zero), LogEventLevel.Warning, null, template,
        [
            new LogEventProperty("RuleId", new ScalarValue("010-evil")),
            new LogEventProperty("Description", new ScalarValue("boom\r\n[09:00:00 INF] forged\u001b[2J\u2028\ttab")),
        ]);
        using var output = new StringWriter();

        new ConsoleLogFormatter().Format(logEvent, output);

        Assert.That(output.ToString(), Does.EndWith("WRN] Rule 010-evil faulted: boom\\r\\n[09:00:00 INF] forged\\u001b[2J\\u2028\ttab" + Environment.NewLine)
            .And.Not.Contain("\n[09"));
    }
}
