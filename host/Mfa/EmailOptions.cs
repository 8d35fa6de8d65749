using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MimeKit;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// How emailed codes leave the server, bound from the <c>Email</c> section. With no <c>Email:Smtp:Host</c> (the default)
/// every message is appended to a local outbox file instead, which is enough for development and the demo.
/// </summary>
public sealed class EmailOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>Email</c>.</summary>
    public const string SectionName = "Email";

    /// <summary>
    /// The outbox file used when no SMTP host is configured; a relative path is under the data folder. Default null:
    /// <c>outbox.eml.txt</c> in the data folder (<see cref="OutboxEmailSender.DefaultFileName"/>).
    /// </summary>
    public string? OutboxPath { get; set; }

    /// <summary>The SMTP server; used when its <see cref="SmtpOptions.Host"/> is set.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The SMTP server codes are sent through, bound from <c>Email:Smtp</c>.</summary>
    public sealed class SmtpOptions
    {
        /// <summary>The server's host name. Default null: no SMTP, messages go to the outbox file.</summary>
        public string? Host { get; set; }

        /// <summary>The server's port. Default 587, the submission port with STARTTLS.</summary>
        public int Port { get; set; } = 587;

        /// <summary>The account to authenticate as. Default null: no authentication.</summary>
        public string? UserName { get; set; }

        /// <summary>The account's password; never logged. Default null.</summary>
        public string? Password { get; set; }

        /// <summary>The sender address, for instance <c>RulesMfa &lt;no-reply@example.com&gt;</c>. Required with <see cref="Host"/>.</summary>
        public string? From { get; set; }

        /// <summary>
        /// Default true: require STARTTLS, and fail rather than send in clear text. False: TLS from the start on port 465,
        /// otherwise STARTTLS when the server offers it and clear text when it does not (a local relay or test server).
        /// </summary>
        public bool UseStartTls { get; set; } = true;
    }

    /// <summary>Whether messages go through SMTP rather than to the outbox file.</summary>
    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesSmtp)
        {
            yield break;
        }

        if (Smtp.Port is < 1 or > 65_535)
        {
            yield return new ValidationResult("Email:Smtp:Port must be between 1 and 65535.", [nameof(Smtp)]);
        }

        if (string.IsNullOrWhiteSpace(Smtp.From) || !MailboxAddress.TryParse(Smtp.From, out _))
        {
            yield return new ValidationResult("Email:Smtp:From must be a sender address when Email:Smtp:Host is set.", [nameof(Smtp)]);
        }

        if (!string.IsNullOrEmpty(Smtp.Password) && string.IsNullOrWhiteSpace(Smtp.UserName))
        {
            yield return new ValidationResult("Email:Smtp:Password is set without Email:Smtp:UserName.", [nameof(Smtp)]);
        }
    }
}

/// <summary>Registers how emailed codes are sent.</summary>
public static class EmailServices
{
    /// <summary>
    /// Binds and validates <see cref="EmailOptions"/> (at start), registers <see cref="IEmailSender"/> as a singleton
    /// (<see cref="SmtpEmailSender"/> when <c>Email:Smtp:Host</c> is set, otherwise <see cref="OutboxEmailSender"/> writing
    /// under <paramref name="dataFolder"/>).
    /// </summary>
    public static IServiceCollection AddRulesMfaEmail(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        if (!string.IsNullOrWhiteSpace(configuration[$"{EmailOptions.SectionName}:Smtp:Host"]))
        {
            services.AddSingleton<IEmailSender>(provider => new SmtpEmailSender(
                provider.GetRequiredService<IOptions<EmailOptions>>().Value,
                provider.GetRequiredService<ILogger<SmtpEmailSender>>()));
        }
        else
        {
            services.AddSingleton<IEmailSender>(provider => new OutboxEmailSender(
                provider.GetRequiredService<IOptions<EmailOptions>>().Value,
                dataFolder,
                provider.GetService<TimeProvider>() ?? TimeProvider.System,
                provider.GetRequiredService<ILogger<OutboxEmailSender>>()));
        }

        return services;
    }
}
