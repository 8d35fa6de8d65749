using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Phone;

/// <summary>
/// Codes by text message or voice call, as Auth0 sends them: six digits from the CSPRNG (<see cref="EmailCode"/>, the
/// same code rules as email), valid <see cref="Lifetime"/> (5 minutes), single use, only the latest one sent to a user
/// counts, stored as a salted hash. At most <see cref="MaxMessagesPerWindow"/> (10) messages per user per rolling
/// <see cref="SendWindow"/> (hour), of which at most <see cref="MaxCallsPerWindow"/> (1) a voice call. Also the
/// enrollment: a number becomes the user's phone factor once a code sent to it comes back.
/// </summary>
/// <remarks>
/// <para>
/// Wrong codes are limited by the caller with <c>CodeAttempts</c>, the user's one bucket for every code factor.
/// </para>
/// <para>
/// The limits hold in the database for every host without a lock or a provider's transaction semantics: each send
/// inserts the user's next <see cref="PhoneCodeRecord.Sequence"/>, unique per user, after reading the latest sends. Of
/// two sends that read the same latest one, one insert fails on the unique key; it reads again and decides again
/// (refused when the other filled the window). Verification marks the latest code used with
/// <c>UPDATE ... WHERE Id = @id AND UsedAt IS NULL</c>, so of concurrent verifications of one code exactly one succeeds.
/// </para>
/// <para>
/// A code that confirms a number is salted with the pending number as well as the user (<c>{userId}:enrollment:{id}</c>):
/// it confirms only the number it went to and never passes as a sign-in code, nor a sign-in code as a confirmation.
/// </para>
/// </remarks>
public sealed class PhoneCodes(RulesMfaDbContext database, TimeProvider clock)
{
    /// <summary>How long a code is valid after it was sent: 5 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>The rolling window of the sending limits: one hour.</summary>
    public static readonly TimeSpan SendWindow = TimeSpan.FromHours(1);

    /// <summary>Messages (texts and calls) to a user within <see cref="SendWindow"/> at most: 10, as Auth0.</summary>
    public const int MaxMessagesPerWindow = 10;

    /// <summary>Voice calls to a user within <see cref="SendWindow"/> at most: 1, as Auth0.</summary>
    public const int MaxCallsPerWindow = 1;

    /// <summary>The name of the limit on messages, as audits and tests read it.</summary>
    public const string MessagesLimit = "messages-per-hour";

    /// <summary>The name of the limit on voice calls.</summary>
    public const string CallsLimit = "voice-calls-per-hour";

    // Far more than two racing sends of one user can lose in a row.
    private const int MaxInsertAttempts = 50;

    /// <summary>A new sign-in code by <paramref name="channel"/>, unless a limit refuses it; every earlier code stops counting.</summary>
    public Task<PhoneCodeReservation> ReserveAsync(string userId, PhoneChannel channel, CancellationToken cancellationToken) =>
        ReserveCoreAsync(userId, userId, channel, cancellationToken);

    /// <summary>True, with the channel it went by, when <paramref name="code"/> is the user's latest sign-in code, unused and unexpired; it is then used.</summary>
    public Task<PhoneChannel?> VerifyAsync(string userId, string code, CancellationToken cancellationToken) =>
        VerifyCoreAsync(userId, userId, code, cancellationToken);

    /// <summary>
    /// Makes <paramref name="e164"/> the user's pending number (replacing an earlier pending one) and reserves the code
    /// that confirms it.
    /// </summary>
    public async Task<PhoneCodeReservation> StartEnrollmentAsync(string userId, string e164, PhoneChannel channel, CancellationToken cancellationToken)
    {
        await database.Set<PhoneNumberRecord>().Where(number => number.UserId == userId && !number.Confirmed).ExecuteDeleteAsync(cancellationToken);
        var pending = new PhoneNumberRecord { UserId = userId, Number = e164, CreatedAt = clock.GetUtcNow() };
        database.Add(pending);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(pending).State = EntityState.Detached;
        return await ReserveCoreAsync(userId, EnrollmentSalt(userId, pending.Id), channel, cancellationToken);
    }

    /// <summary>
    /// Confirms the user's pending number with the code sent to it: it becomes the user's phone factor, replacing an
    /// earlier one. The channel the code went by; null for any other code, or when nothing is pending.
    /// </summary>
    public async Task<PhoneChannel?> ConfirmEnrollmentAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var numbers = database.Set<PhoneNumberRecord>();
        var pending = await PendingAsync(userId, cancellationToken);
        if (pending is null || await VerifyCoreAsync(userId, EnrollmentSalt(userId, pending.Id), code, cancellationToken) is not { } channel)
        {
            return null;
        }

        await using var transaction = await database.Database.BeginTransactionAsync(cancellationToken);
        var confirmed = await numbers.Where(number => number.Id == pending.Id && !number.Confirmed)
            .ExecuteUpdateAsync(number => number.SetProperty(record => record.Confirmed, true), cancellationToken) == 1;
        if (confirmed && await numbers.Where(number => number.UserId == userId && number.Id != pending.Id).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            // The number it replaced may be one someone else took over: a browser remembered after passing it, which does
            // not say which factor it passed, is asked for MFA again (as when an authenticator is removed).
            await new RememberedBrowsers(database, clock).ForgetAllAsync(userId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return confirmed ? channel : null;
    }

    /// <summary>The number waiting for its code, or null.</summary>
    public Task<PhoneNumberRecord?> PendingAsync(string userId, CancellationToken cancellationToken) =>
        database.Set<PhoneNumberRecord>().AsNoTracking().Where(number => number.UserId == userId && !number.Confirmed)
            .OrderByDescending(number => number.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The user's confirmed number (E.164), or null.</summary>
    public Task<string?> ConfirmedNumberAsync(string userId, CancellationToken cancellationToken) =>
        database.Set<PhoneNumberRecord>().AsNoTracking().Where(number => number.UserId == userId && number.Confirmed)
            .OrderByDescending(number => number.Id).Select(number => (string?)number.Number).FirstOrDefaultAsync(cancellationToken);

    private async Task<PhoneCodeReservation> ReserveCoreAsync(string userId, string salt, PhoneChannel channel, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var codes = database.Set<PhoneCodeRecord>();
        for (var attempt = 1; ; attempt++)
        {
            // The latest sends by sequence; their times are compared here because SQLite cannot compare DateTimeOffset.
            var now = clock.GetUtcNow();
            var recent = await codes.AsNoTracking().Where(record => record.UserId == userId).OrderByDescending(record => record.Sequence)
                .Take(MaxMessagesPerWindow).Select(record => new { record.Sequence, record.CreatedAt, record.Channel }).ToListAsync(cancellationToken);
            var inWindow = recent.Where(send => now - send.CreatedAt < SendWindow).ToList();
            if (inWindow.Count >= MaxMessagesPerWindow)
            {
                return new PhoneCodeReservation.Refused(MessagesLimit, inWindow.Min(send => send.CreatedAt) + SendWindow);
            }

            var calls = inWindow.Where(send => send.Channel == PhoneChannel.Voice).ToList();
            if (channel == PhoneChannel.Voice && calls.Count >= MaxCallsPerWindow)
            {
                return new PhoneCodeReservation.Refused(CallsLimit, calls.Min(send => send.CreatedAt) + SendWindow);
            }

            var code = EmailCode.Generate();
            var sequence = (recent.FirstOrDefault()?.Sequence ?? 0) + 1;
            var stored = new PhoneCodeRecord
            {
                UserId = userId, Sequence = sequence, Hash = EmailCode.Hash(code, salt), Channel = channel, CreatedAt = now, ExpiresAt = now + Lifetime,
            };
            codes.Add(stored);
            try
            {
                await database.SaveChangesAsync(cancellationToken);
                return new PhoneCodeReservation.Reserved(code, stored.ExpiresAt);
            }
            catch (DbUpdateException) when (attempt < MaxInsertAttempts)
            {
                database.Entry(stored).State = EntityState.Detached;
                if (!await SequenceTakenAsync(userId, sequence, cancellationToken))
                {
                    throw;
                }

                // Another send of this user took the sequence number first: read its send and decide again.
            }
            finally
            {
                database.Entry(stored).State = EntityState.Detached;
            }
        }
    }

    private Task<bool> SequenceTakenAsync(string userId, long sequence, CancellationToken cancellationToken) =>
        database.Set<PhoneCodeRecord>().AnyAsync(record => record.UserId == userId && record.Sequence == sequence, cancellationToken);

    private async Task<PhoneChannel?> VerifyCoreAsync(string userId, string salt, string code, CancellationToken cancellationToken)
    {
        if (EmailCode.Normalize(code) is null)
        {
            return null;
        }

        var codes = database.Set<PhoneCodeRecord>();
        var latest = await codes.AsNoTracking().Where(record => record.UserId == userId).OrderByDescending(record => record.Sequence)
            .FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (latest is null || latest.UsedAt is not null || now >= latest.ExpiresAt || !EmailCode.Matches(code, salt, latest.Hash))
        {
            return null;
        }

        // Two requests with the same code can both get here: only one marks it used.
        var used = await codes.Where(record => record.Id == latest.Id && record.UsedAt == null)
            .ExecuteUpdateAsync(record => record.SetProperty(value => value.UsedAt, now), cancellationToken) == 1;
        return used ? latest.Channel : null;
    }

    private static string EnrollmentSalt(string userId, long numberId) =>
        string.Create(CultureInfo.InvariantCulture, $"{userId}:enrollment:{numberId}");
}
