using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace RulesMfa.Host.Telemetry;

/// <summary>
/// The server's console log line, as Serilog's console sink writes it by default (<c>[12:00:00 INF] message</c>), with
/// every control character of the line (a line break, an ANSI escape) and the Unicode line and paragraph separators
/// written as escapes (<c>\n</c>, <c>\u001b</c>): what a tenant admin or a user chose is logged (a rule's error, a
/// template's failure), and must neither start a line that reads as the server's own (a forged <c>Audit mfa.reset</c>)
/// nor drive the operator's terminal. The exception follows on its lines as before, a line of its message that starts at
/// the margin escaped the same way.
/// </summary>
public sealed class ConsoleLogFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter line = new("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}", CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var rendered = new StringWriter(CultureInfo.InvariantCulture);
        line.Format(logEvent, rendered);
        WriteEscaped(rendered.ToString(), output, keepIndentedLines: false);
        output.WriteLine();
        if (logEvent.Exception is { } exception)
        {
            // An exception's message may quote a rule or a request too: its stack frames keep their lines (they start
            // with spaces), a line of its message that would start at the margin, as an event does, is escaped.
            WriteEscaped(exception.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), output, keepIndentedLines: true);
            output.WriteLine();
        }
    }

    private static void WriteEscaped(string text, TextWriter output, bool keepIndentedLines)
    {
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\n' when keepIndentedLines && i + 1 < text.Length && text[i + 1] is ' ' or '\t':
                    output.WriteLine();
                    break;
                case '\n':
                    output.Write("\\n");
                    break;
                case '\r':
                    output.Write("\\r");
                    break;
                case '\t':
                    output.Write('\t');
                    break;
                case var other when char.IsControl(other) || other is '\u2028' or '\u2029':
                    output.Write($"\\u{(int)other:x4}");
                    break;
                case var other:
                    output.Write(other);
                    break;
            }
        }
    }
}
