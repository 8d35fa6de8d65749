using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// The default sender: nothing leaves the server. Each message is appended to an outbox file in the data folder
/// (To, Channel, Action, Date, a blank line, the text, a separator line), owner-only (0600) since it holds live codes; the
/// log gets one line with the channel and the recipient's last two digits, never the text.
/// </summary>
public sealed partial class OutboxPhoneSender(IOptions<PhoneOptions> options, DataFolder dataFolder, TimeProvider clock, ILogger<OutboxPhoneSender> logger)
    : IPhoneSender
{
    /// <summary>The outbox file's name in the data folder when <see cref="PhoneOptions.OutboxPath"/> is not set.</summary>
    public const string DefaultFileName = "phone-outbox.txt";

    /// <summary>The line that ends each message.</summary>
    public const string Separator = "----------------------------------------------------------------------";

    private readonly SemaphoreSlim writeLock = new(1, 1);

    public string Name => "outbox";

    /// <summary>The full path of the outbox file.</summary>
    public string OutboxPath { get; } = Path.GetFullPath(Path.Combine(dataFolder.Path, options.Value.OutboxPath ?? DefaultFileName));

    public async Task<PhoneSendResult> SendAsync(PhoneMessage message, CancellationToken cancellationToken)
    {
        var entry = new StringBuilder()
            .Append("To: ").AppendLine(message.Recipient)
            .Append("Channel: ").AppendLine(message.Channel == PhoneChannel.Voice ? "voice" : "sms")
            .Append("Action: ").AppendLine(message.Action.ToString())
            .Append("Date: ").AppendLine(clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture))
            .AppendLine()
            .AppendLine(message.Text.TrimEnd())
            .AppendLine(Separator)
            .ToString();
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(OutboxPath)!);
            await using var file = OwnerOnlyFiles.OpenAppend(OutboxPath, asynchronous: true);
            await file.WriteAsync(Encoding.UTF8.GetBytes(entry), cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }

        LogWritten(logger, PhoneWords.Of(message.Channel), E164Numbers.Mask(message.Recipient), OutboxPath);
        return new PhoneSendResult.Sent();
    }

    [LoggerMessage(1110, LogLevel.Information, "A {Channel} to {Recipient} written to the outbox {OutboxPath}")]
    private static partial void LogWritten(ILogger logger, string channel, string recipient, string outboxPath);
}
