using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Totp;

/// <summary>
/// A user's authenticator app: the secret encrypted at rest with Data Protection, a code accepted only when
/// its time step is newer than the last accepted one, decided atomically in the database.
/// </summary>
public sealed class TotpService(RulesMfaDbContext database, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector protector = protection.CreateProtector("RulesMfa.Totp");
    private readonly TotpFactor factor = new(clock);

    /// <summary>
    /// Starts an enrollment with a new secret, replacing any pending (unconfirmed) one of the user: each MFA transaction
    /// gets its own secret, so a key shown to one sign-in (someone who knows only the password, say) is never the
    /// key another sign-in enrolls.
    /// </summary>
    public async Task<(long EnrollmentId, TotpSecret Secret)> StartEnrollmentAsync(string userId, CancellationToken cancellationToken)
    {
        await database.TotpEnrollments.Where(totp => totp.UserId == userId && !totp.Confirmed).ExecuteDeleteAsync(cancellationToken);
        var secret = TotpSecret.Generate();
        var pending = new TotpEnrollmentRecord
        {
            UserId = userId,
            ProtectedSecret = Convert.ToBase64String(protector.Protect(secret.GetBytes())),
            CreatedAt = clock.GetUtcNow(),
        };
        database.TotpEnrollments.Add(pending);
        await database.SaveChangesAsync(cancellationToken);
        return (pending.Id, secret);
    }

    /// <summary>The secret of the pending enrollment <paramref name="enrollmentId"/>; null once it was confirmed or replaced.</summary>
    public async Task<TotpSecret?> PendingSecretAsync(string userId, long enrollmentId, CancellationToken cancellationToken) =>
        await PendingAsync(userId, enrollmentId, cancellationToken) is { } pending ? TotpSecret.FromBytes(Unprotect(pending)) : null;

    /// <summary>Confirms the pending enrollment <paramref name="enrollmentId"/> with one valid code; null when it is no longer pending.</summary>
    public async Task<TotpVerification?> ConfirmAsync(string userId, long enrollmentId, string code, CancellationToken cancellationToken) =>
        await PendingAsync(userId, enrollmentId, cancellationToken) is { } pending ? await AcceptAsync(pending, code, confirm: true, cancellationToken) : null;

    private Task<TotpEnrollmentRecord?> PendingAsync(string userId, long enrollmentId, CancellationToken cancellationToken) =>
        database.TotpEnrollments.AsNoTracking().FirstOrDefaultAsync(totp => totp.Id == enrollmentId && totp.UserId == userId && !totp.Confirmed, cancellationToken);

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
