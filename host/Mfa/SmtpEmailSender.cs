using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Sends through the SMTP server of <see cref="EmailOptions.Smtp"/> with MailKit, one connection per message (codes are
/// few). The log gets one line with the recipient, subject and server; never the password or the text.
/// </summary>
public sealed partial class SmtpEmailSender(EmailOptions options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    private readonly EmailOptions.SmtpOptions smtp = options.Smtp;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var host = smtp.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not set.");
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(smtp.From ?? throw new InvalidOperationException("Email:Smtp:From is not set.")));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart("plain") { Text = message.Text };

        using var client = new SmtpClient();
        await client.ConnectAsync(host, smtp.Port, SocketOptions(), cancellationToken);
        if (!string.IsNullOrWhiteSpace(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        LogSent(logger, message.To, message.Subject, host, smtp.Port);
    }

    // UseStartTls: STARTTLS or fail. Otherwise MailKit's Auto: TLS on connect for port 465, else STARTTLS when offered.
    private SecureSocketOptions SocketOptions() => smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.Auto;

    [LoggerMessage(2102, LogLevel.Information, "Email to {Recipient} with subject {Subject} sent through {SmtpHost}:{SmtpPort}")]
    private static partial void LogSent(ILogger logger, string recipient, string subject, string smtpHost, int smtpPort);
}
