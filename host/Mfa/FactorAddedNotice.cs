using System.Globalization;
using RulesMfa.Host.Audit;
using RulesMfa.Host.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// Tells the owner of an account, at its verified email, that a factor was added to it: the one way they learn of an
/// enrollment they did not make. The enrollment stands whether or not the message goes out; a failed send is logged.
/// </summary>
public sealed class FactorAddedNotice(IEmailSender sender, TimeProvider clock, ILogger<FactorAddedNotice> logger)
{
    public const string Subject = "A new sign-in method was added to your account";

    public async Task SendAsync(UserRecord user, IMfaFactor factor, string tenantName, string? clientIp, CancellationToken cancellationToken)
    {
        if (!user.EmailVerified)
        {
            return;
        }

        var text = $"""
            {factor.DisplayName} was added as a way to verify your sign-ins to {tenantName}, on {clock.GetUtcNow().ToString("u", CultureInfo.InvariantCulture)} from {clientIp ?? "an unknown address"}.

            If this was not you, someone knows your password: change it, and ask your administrator to remove the new sign-in method.
            """;
        try
        {
            await sender.SendAsync(new EmailMessage(user.Email, Subject, text), cancellationToken);
            logger.FactorAddedNoticeSent(user.Id, user.TenantId, factor.Type);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.FactorAddedNoticeFailed(user.Id, user.TenantId, factor.Type, error.GetType().Name);
        }
    }
}
