using System.Globalization;
using System.Text;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// The default <see cref="IEmailSender"/>: appends each message to a local outbox file in a readable form (To, Subject,
/// Date, a blank line, the text, a separator line), so development and demo logins can read their codes without an SMTP
/// server. The file holds live codes: it is owner-only (0600), as the database.
/// </summary>
/// <remarks>
/// Writes are serialised by one lock for the whole process (the file may be shared by several senders), and the file is
/// opened without write sharing, so a message is never interleaved with another. The log gets one line with the
/// recipient and subject, never the text.
/// </remarks>
public sealed partial class OutboxEmailSender(EmailOptions options, string dataFolder, TimeProvider clock, ILogger<OutboxEmailSender> logger)
    : IEmailSender
{
    /// <summary>The outbox file's name in the data folder when <see cref="EmailOptions.OutboxPath"/> is not set.</summary>
    public const string DefaultFileName = "outbox.eml.txt";

    /// <summary>The line that ends each message.</summary>
    public const string Separator = "----------------------------------------------------------------------";

    private static readonly SemaphoreSlim WriteLock = new(1, 1);

    /// <summary>The full path of the outbox file.</summary>
    public string OutboxPath { get; } = Path.GetFullPath(Path.Combine(dataFolder, options.OutboxPath ?? DefaultFileName));

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entry = Format(message, clock.GetUtcNow());
        await WriteLock.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(OutboxPath)!);
            await using var file = OwnerOnlyFiles.OpenAppend(OutboxPath, asynchronous: true);
            await file.WriteAsync(Encoding.UTF8.GetBytes(entry), cancellationToken);
        }
        finally
        {
            WriteLock.Release();
        }

        LogWritten(logger, message.To, message.Subject, OutboxPath);
    }

    private static string Format(EmailMessage message, DateTimeOffset date)
    {
        // Header values are one line each, whatever the caller passed, so a message cannot forge the next one's headers.
        var builder = new StringBuilder()
            .Append("To: ").AppendLine(OneLine(message.To))
            .Append("Subject: ").AppendLine(OneLine(message.Subject))
            .Append("Date: ").AppendLine(date.ToString("r", CultureInfo.InvariantCulture))
            .AppendLine()
            .AppendLine(message.Text.TrimEnd())
            .AppendLine(Separator);
        return builder.ToString();
    }

    private static string OneLine(string value) => value.ReplaceLineEndings(" ").Trim();

    [LoggerMessage(2101, LogLevel.Information, "Email to {Recipient} with subject {Subject} written to the outbox {OutboxPath}")]
    private static partial void LogWritten(ILogger logger, string recipient, string subject, string outboxPath);
}
