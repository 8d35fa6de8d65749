using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Policy;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>The factor types a user can be challenged with, as the rules and the policy see them.</summary>
public sealed class EnrolledFactors(RulesMfaDbContext database)
{
    /// <summary>A confirmed authenticator app or email address, an unused recovery code.</summary>
    public async Task<IReadOnlyList<string>> OfUserAsync(string userId, CancellationToken cancellationToken)
    {
        var factors = new List<string>();
        if (await database.TotpEnrollments.AnyAsync(totp => totp.UserId == userId && totp.Confirmed, cancellationToken))
        {
            factors.Add(FactorType.Otp);
        }

        // As at Auth0, a verified account email is a second way in once another factor is enrolled; an address
        // confirmed by a code counts on its own.
        var verifiedEmail = await database.Users.AnyAsync(user => user.Id == userId && user.EmailVerified, cancellationToken);
        if (await database.EmailFactors.AnyAsync(email => email.UserId == userId && email.Confirmed, cancellationToken) || (verifiedEmail && factors.Count > 0))
        {
            factors.Add(FactorType.Email);
        }

        if (await database.RecoveryCodes.AnyAsync(code => code.UserId == userId && code.UsedAt == null, cancellationToken))
        {
            factors.Add(FactorType.RecoveryCode);
        }

        return factors;
    }

    /// <summary>True when the user has a factor to sign in with (a recovery code alone does not count).</summary>
    public async Task<bool> AnyConfirmedAsync(string userId, CancellationToken cancellationToken) =>
        FactorType.OfferableBySecurity(await OfUserAsync(userId, cancellationToken)).Count > 0;
}
