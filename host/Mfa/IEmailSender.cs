namespace RulesMfa.Host.Mfa;

/// <summary>Delivers an email: to the local outbox file by default, through SMTP when <c>Email:Smtp:Host</c> is set.</summary>
/// <remarks>Implementations log the recipient and subject at most, never <see cref="EmailMessage.Text"/>: it holds the code.</remarks>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>A plain-text email to one recipient.</summary>
public sealed record EmailMessage(string To, string Subject, string Text);
