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

    // An exception's message can quote what a rule or a request held (a Jint error, a parser's message): its forged line
    // must not start at the margin as an event does, while the stack frames keep their lines.
    [Test]
    public void Format_ExceptionWhoseMessageHoldsALineBreakAndAnEscape_KeepsItsFramesOnLines_AndEscapesTheRest()
    {
        var template = new MessageTemplateParser().Parse("Request failed");
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom\n[09:00:00 INF] Audit mfa.reset: forged\u001b[2J");
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
        }

        var logEvent = new LogEvent(new DateTimeOffset(2026, 12, 6, 9, 30, 5, TimeSpan.Zero), LogEventLevel.Error, thrown, template, []);
        using var output = new StringWriter();

        new ConsoleLogFormatter().Format(logEvent, output);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Multiple(() =>
        {
            Assert.That(lines[1], Is.EqualTo("System.InvalidOperationException: boom\\n[09:00:00 INF] Audit mfa.reset: forged\\u001b[2J"));
            Assert.That(lines[2], Does.StartWith("   at "));
            Assert.That(lines.Where(line => line.StartsWith('[')), Has.Exactly(1).Items, "only the event's own line starts at the margin");
            Assert.That(output.ToString(), Does.Not.Contain("\u001b"));
        });
    }
}
