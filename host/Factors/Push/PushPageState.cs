using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// The tokens the sign-in and enrollment pages poll with (<c>Authorization: Bearer …</c>): a request's or ticket's id and
/// its user, sealed by Data Protection for <see cref="Lifetime"/>. They tell only a state; nothing is stored.
/// </summary>
public sealed class PushPageState(IDataProtectionProvider protection)
{
    /// <summary>How long a page may poll with one token: 6 minutes, a little longer than what it waits for.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(6);

    public const string TransactionKind = "tx";
    public const string TicketKind = "ticket";

    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector(PushProtection.PageState).ToTimeLimitedDataProtector();

    public string TokenFor(string kind, string userId, long id) =>
        protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{kind}\n{userId}\n{id}"), Lifetime);

    /// <summary>The user and id a token of <paramref name="kind"/> names; null when it is not one, or has expired.</summary>
    public (string UserId, long Id)? Read(string kind, string? token)
    {
        try
        {
            var parts = string.IsNullOrEmpty(token) ? [] : protector.Unprotect(token).Split('\n');
            return parts.Length == 3 && parts[0] == kind && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var id) ? (parts[1], id) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
