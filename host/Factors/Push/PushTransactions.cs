using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// Push requests: sent to the user's confirmed device (within <see cref="PushRequestBucket"/>), listed to the device,
/// answered once by its signed answer (<see cref="PushAnswerVerifier"/>), and used once by the sign-in page. Every
/// change of state is a conditional update from the state it was read in, so two answers, or two uses, cannot both win.
/// Offline codes from the device's TOTP secret are checked here too, each time step once.
/// </summary>
public sealed class PushTransactions(RulesMfaDbContext database, PushRequestBucket bucket, IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>How long a request waits for the device: 5 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector secrets = protection.CreateProtector(PushProtection.TotpSecret);
    private readonly ITimeLimitedDataProtector tokens = protection.CreateProtector(PushProtection.TransactionToken).ToTimeLimitedDataProtector();

    /// <summary>The user's confirmed push device, or null.</summary>
    public Task<PushDeviceRecord?> DeviceOfAsync(string userId, CancellationToken cancellationToken) =>
        database.Set<PushDeviceRecord>().AsNoTracking().Where(record => record.UserId == userId && record.Confirmed)
            .OrderByDescending(record => record.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The confirmed device of <paramref name="tenantId"/> with this enrollment id and bearer token, or null (unknown, removed, or another tenant's).</summary>
    public async Task<PushDeviceRecord?> AuthenticateDeviceAsync(string tenantId, string enrollmentId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var hash = PushTokens.Hash(token);
        var device = await database.Set<PushDeviceRecord>().AsNoTracking()
            .FirstOrDefaultAsync(record => record.TokenHash == hash && record.EnrollmentId == enrollmentId && record.Confirmed, cancellationToken);
        return device is not null && await TenantOfAsync(device.UserId, cancellationToken) == tenantId ? device : null;
    }

    /// <summary>Sends a request to the user's device, unless the user sent too many; what the device will show comes with it.</summary>
    public async Task<PushSend> SendAsync(string userId, string application, string? ip, string location, CancellationToken cancellationToken)
    {
        if (await DeviceOfAsync(userId, cancellationToken) is not { } device)
        {
            return new PushSend.NoDevice();
        }

        if (await bucket.TryTakeAsync(userId, cancellationToken) is { } retryAt)
        {
            return new PushSend.TooMany(retryAt);
        }

        var now = clock.GetUtcNow();
        var record = new PushTransactionRecord
        {
            PublicId = PushTokens.NewId("tx_"), UserId = userId, DeviceId = device.Id, Challenge = PushTokens.NewToken(),
            Digits = PushTokens.NewDigits(), Application = application, Ip = ip, Location = location, CreatedAt = now, ExpiresAt = now + Lifetime,
            State = PushTransactionState.Pending,
        };
        database.Add(record);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(record).State = EntityState.Detached;
        return new PushSend.Sent(record, device);
    }

    /// <summary>The device's requests still waiting for it, oldest first, with their tokens.</summary>
    public async Task<IReadOnlyList<PushPendingTransaction>> PendingAsync(PushDeviceRecord device, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pending = await database.Set<PushTransactionRecord>().AsNoTracking()
            .Where(record => record.DeviceId == device.Id && record.State == PushTransactionState.Pending).OrderBy(record => record.Id).ToListAsync(cancellationToken);
        return pending.Where(record => now < record.ExpiresAt).Select(record => new PushPendingTransaction(
            record.PublicId, TokenFor(record), record.Challenge, device.EnrollmentId, device.BaseUrl, record.CreatedAt, record.ExpiresAt,
            record.Application, record.Ip, record.Location)).ToList();
    }

    /// <summary>
    /// Resolves the request whose token is <paramref name="transactionToken"/> with the device's signed answer: approved,
    /// declined, or refused with the reason (an unknown token, another tenant's, an answered or expired request, or an
    /// answer that does not verify). Wrong digits end the request, so one request gives one guess.
    /// </summary>
    public async Task<PushResolution> ResolveAsync(string tenantId, string? transactionToken, string? answer, PushAnswerVerifier verifier, CancellationToken cancellationToken)
    {
        var id = IdOf(transactionToken);
        var record = id is null ? null : await database.Set<PushTransactionRecord>().AsNoTracking().FirstOrDefaultAsync(found => found.Id == id, cancellationToken);
        if (record is null || await TenantOfAsync(record.UserId, cancellationToken) != tenantId)
        {
            return new PushResolution(null, null, new PushAnswer.Refused("invalid_token", "This transaction token is not known here."));
        }

        var device = await database.Set<PushDeviceRecord>().AsNoTracking().FirstOrDefaultAsync(found => found.Id == record.DeviceId && found.Confirmed, cancellationToken);
        if (device is null)
        {
            return new PushResolution(record, null, new PushAnswer.Refused("invalid_token", "The device of this transaction is no longer enrolled."));
        }

        if (record.State != PushTransactionState.Pending)
        {
            return new PushResolution(record, device, new PushAnswer.Refused("transaction_resolved", "This transaction was already answered."));
        }

        var now = clock.GetUtcNow();
        if (now >= record.ExpiresAt)
        {
            return new PushResolution(record, device, new PushAnswer.Refused("transaction_expired", "This transaction has expired: requests wait 5 minutes."));
        }

        var verified = await verifier.VerifyAsync(answer, device, record);
        var next = verified switch
        {
            PushAnswer.Approved => PushTransactionState.Accepted,
            PushAnswer.Declined => PushTransactionState.Rejected,
            PushAnswer.Refused { Error: "wrong_digits" } => PushTransactionState.WrongDigits,
            _ => null,
        };
        if (next is null)
        {
            return new PushResolution(record, device, verified);
        }

        // Two answers to one request can both get here: only the one that moves it from pending counts.
        var moved = await database.Set<PushTransactionRecord>().Where(found => found.Id == record.Id && found.State == PushTransactionState.Pending)
            .ExecuteUpdateAsync(found => found.SetProperty(value => value.State, next).SetProperty(value => value.ResolvedAt, now), cancellationToken) == 1;
        if (!moved)
        {
            return new PushResolution(record, device, new PushAnswer.Refused("transaction_resolved", "This transaction was already answered."));
        }

        await database.Set<PushDeviceRecord>().Where(found => found.Id == device.Id)
            .ExecuteUpdateAsync(found => found.SetProperty(value => value.LastUsedAt, now), cancellationToken);
        return new PushResolution(record, device, verified);
    }

    /// <summary>The state of the user's request <paramref name="id"/> (<see cref="PushTransactionState"/>); expired when unknown.</summary>
    public async Task<string> StateAsync(string userId, long id, CancellationToken cancellationToken)
    {
        var record = await database.Set<PushTransactionRecord>().AsNoTracking().FirstOrDefaultAsync(found => found.Id == id && found.UserId == userId, cancellationToken);
        return record is null || (record.State == PushTransactionState.Pending && clock.GetUtcNow() >= record.ExpiresAt) ? PushTransactionState.Expired : record.State;
    }

    /// <summary>The user's request <paramref name="id"/>, or null.</summary>
    public Task<PushTransactionRecord?> FindAsync(string userId, long id, CancellationToken cancellationToken) =>
        database.Set<PushTransactionRecord>().AsNoTracking().FirstOrDefaultAsync(found => found.Id == id && found.UserId == userId, cancellationToken);

    /// <summary>Uses the user's approved request <paramref name="id"/> for a sign-in: true once, false after.</summary>
    public async Task<bool> UseApprovalAsync(string userId, long id, CancellationToken cancellationToken) =>
        await database.Set<PushTransactionRecord>().Where(found => found.Id == id && found.UserId == userId && found.State == PushTransactionState.Accepted)
            .ExecuteUpdateAsync(found => found.SetProperty(value => value.State, PushTransactionState.Used), cancellationToken) == 1;

    /// <summary>Checks an offline code of the user's device: each time step is accepted once.</summary>
    public async Task<TotpVerification> VerifyCodeAsync(string userId, string code, CancellationToken cancellationToken)
    {
        if (await DeviceOfAsync(userId, cancellationToken) is not { } device)
        {
            return new TotpVerification.Invalid();
        }

        var verification = new TotpFactor(clock).Verify(secrets.Unprotect(Convert.FromBase64String(device.ProtectedTotpSecret)), code, device.LastAcceptedStep);
        if (verification is not TotpVerification.Succeeded { Step: var step })
        {
            return verification;
        }

        // Two requests with the same code can both get here: only one moves the step forward.
        var updated = await database.Set<PushDeviceRecord>()
            .Where(found => found.Id == device.Id && (found.LastAcceptedStep == null || found.LastAcceptedStep < step))
            .ExecuteUpdateAsync(found => found.SetProperty(value => value.LastAcceptedStep, step), cancellationToken);
        return updated == 1 ? verification : new TotpVerification.Replayed();
    }

    private Task<string?> TenantOfAsync(string userId, CancellationToken cancellationToken) =>
        database.Users.AsNoTracking().Where(user => user.Id == userId).Select(user => (string?)user.TenantId).FirstOrDefaultAsync(cancellationToken);

    // The transaction token is not stored: it is the request's id sealed by Data Protection until the request expires.
    private string TokenFor(PushTransactionRecord record) =>
        tokens.Protect(record.Id.ToString(CultureInfo.InvariantCulture), record.ExpiresAt);

    private long? IdOf(string? transactionToken)
    {
        try
        {
            return string.IsNullOrEmpty(transactionToken) ? null : long.Parse(tokens.Unprotect(transactionToken), CultureInfo.InvariantCulture);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
