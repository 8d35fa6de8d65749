using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Mfa;

/// <summary>
/// A user's authenticator app: the secret encrypted at rest with Data Protection, a code accepted only when
/// its time step is newer than the last accepted one, decided atomically in the database.
/// </summary>
public sealed class TotpService(RulesMfaDbContext database, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector protector = protection.CreateProtector("RulesMfa.Totp");
    private readonly TotpFactor factor = new(clock);

    /// <summary>The user's pending (unconfirmed) enrollment, created on first call; replaced secrets are never reused.</summary>
    public async Task<(long EnrollmentId, TotpSecret Secret)> PendingEnrollmentAsync(string userId, CancellationToken cancellationToken)
    {
        var pending = await database.TotpEnrollments.FirstOrDefaultAsync(totp => totp.UserId == userId && !totp.Confirmed, cancellationToken);
        if (pending is null)
        {
            var secret = TotpSecret.Generate();
            pending = new TotpEnrollmentRecord
            {
                UserId = userId,
                ProtectedSecret = Convert.ToBase64String(protector.Protect(secret.GetBytes())),
                CreatedAt = clock.GetUtcNow(),
            };
            database.TotpEnrollments.Add(pending);
            await database.SaveChangesAsync(cancellationToken);
        }

        return (pending.Id, TotpSecret.FromBytes(Unprotect(pending)));
    }

    /// <summary>Confirms a pending enrollment with one valid code.</summary>
    public async Task<TotpVerification> ConfirmAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var pending = await database.TotpEnrollments.AsNoTracking().FirstOrDefaultAsync(totp => totp.UserId == userId && !totp.Confirmed, cancellationToken);
        return pending is null ? new TotpVerification.Invalid() : await AcceptAsync(pending, code, confirm: true, cancellationToken);
    }

    /// <summary>Checks a code against the user's confirmed authenticator apps.</summary>
    public async Task<TotpVerification> VerifyAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var enrollments = await database.TotpEnrollments.AsNoTracking().Where(totp => totp.UserId == userId && totp.Confirmed).ToListAsync(cancellationToken);
        TotpVerification result = new TotpVerification.Invalid();
        foreach (var enrollment in enrollments)
        {
            result = await AcceptAsync(enrollment, code, confirm: false, cancellationToken);
            if (result is not TotpVerification.Invalid)
            {
                return result;
            }
        }

        return result;
    }

    private async Task<TotpVerification> AcceptAsync(TotpEnrollmentRecord enrollment, string code, bool confirm, CancellationToken cancellationToken)
    {
        var verification = factor.Verify(Unprotect(enrollment), code, enrollment.LastAcceptedStep);
        if (verification is not TotpVerification.Succeeded { Step: var step })
        {
            return verification;
        }

        // Two requests with the same code can both get here: only one moves the step forward.
        var updated = await database.TotpEnrollments
            .Where(totp => totp.Id == enrollment.Id && (totp.LastAcceptedStep == null || totp.LastAcceptedStep < step))
            .ExecuteUpdateAsync(totp => totp.SetProperty(record => record.LastAcceptedStep, step).SetProperty(record => record.Confirmed, record => record.Confirmed || confirm), cancellationToken);
        return updated == 1 ? verification : new TotpVerification.Replayed();
    }

    private byte[] Unprotect(TotpEnrollmentRecord enrollment) => protector.Unprotect(Convert.FromBase64String(enrollment.ProtectedSecret));
}
