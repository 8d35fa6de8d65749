using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Mfa;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Email;

/// <summary>
/// Codes sent by email, as Auth0 does it: six digits valid <see cref="Lifetime"/> (5 minutes), single use, only the latest
/// one sent to a user counts, at most <see cref="MaxSendsPerWindow"/> (10) sends per user per rolling
/// <see cref="SendWindow"/> (hour). Codes are stored as <see cref="EmailCode.Hash"/> only. Also the email factor's
/// enrollment: an address becomes the user's email factor once a code sent to it comes back.
/// </summary>
/// <remarks>
/// <para>
/// Wrong codes are limited by the caller with <see cref="CodeAttempts"/>, as for every code factor: take an attempt before
/// <see cref="VerifyAsync"/> or <see cref="ConfirmEnrollmentAsync"/>, refund it when the code was right.
/// </para>
/// <para>
/// SQLite cannot compare <see cref="DateTimeOffset"/> columns in SQL, so time is compared here, in memory, on few rows:
/// the hourly limit reads the user's latest <see cref="MaxSendsPerWindow"/> codes by id (refused when all of them were
/// created within the window) and a verification reads the user's latest code. A send runs in one transaction that
/// first writes the user's row (<see cref="LockUserAsync"/>), so concurrent sends of a user, on any host and provider, run
/// one after the other: they neither exceed the limit nor leave two unused codes; the email goes out after it commits.
/// A verification marks the code used with <c>UPDATE ... WHERE Id = @id AND UsedAt IS NULL</c>, so of concurrent
/// verifications of one code exactly one succeeds.
/// </para>
/// <para>
/// A code sent to confirm an address is salted with the pending factor as well as the user
/// (<c>{userId}:enrollment:{factorId}</c>): it confirms only the address it was sent to and never passes as a sign-in
/// code, and a sign-in code never confirms an address.
/// </para>
/// </remarks>
public sealed class EmailCodes(RulesMfaDbContext database, IEmailSender sender, TimeProvider clock)
{
    /// <summary>How long a code is valid after it was sent: 5 minutes, as Auth0.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>The rolling window of the send limit: one hour.</summary>
    public static readonly TimeSpan SendWindow = TimeSpan.FromHours(1);

    /// <summary>Codes sent to a user within <see cref="SendWindow"/> at most: 10, as Auth0 for SMS.</summary>
    public const int MaxSendsPerWindow = 10;

    /// <summary>The subject of a sign-in code's email; pass it as the purpose of <see cref="SendAsync"/>.</summary>
    public const string SignInPurpose = "Your sign-in code";

    /// <summary>The subject of the email that confirms a new address (<see cref="StartEnrollmentAsync"/>).</summary>
    public const string EnrollmentPurpose = "Confirm your email address";

    /// <summary>
    /// Sends a new code to <paramref name="address"/> with <paramref name="purpose"/> as the subject, unless the user
    /// already had <see cref="MaxSendsPerWindow"/> codes sent within the last <see cref="SendWindow"/>; every earlier unused
    /// code of the user stops working.
    /// </summary>
    public Task<EmailSendResult> SendAsync(string userId, string address, string purpose, CancellationToken cancellationToken) =>
        SendCoreAsync(userId, userId, address, purpose, cancellationToken);

    /// <summary>
    /// True when <paramref name="code"/> is the latest code sent to the user, unused and unexpired; it is then used. Of
    /// concurrent verifications of one code exactly one is true.
    /// </summary>
    public Task<bool> VerifyAsync(string userId, string code, CancellationToken cancellationToken) =>
        VerifyCoreAsync(userId, userId, code, cancellationToken);

    /// <summary>
    /// Makes <paramref name="address"/> the user's pending email factor (replacing an earlier pending one) and sends it a
    /// code (<see cref="EnrollmentPurpose"/>). A refused send still replaces the pending address: start again after
    /// <see cref="EmailSendResult.TooManySends.RetryAt"/>.
    /// </summary>
    public async Task<(long FactorId, EmailSendResult Result)> StartEnrollmentAsync(string userId, string address, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        await database.EmailFactors.Where(factor => factor.UserId == userId && !factor.Confirmed).ExecuteDeleteAsync(cancellationToken);
        var pending = new EmailFactorRecord { UserId = userId, Address = address.Trim(), CreatedAt = clock.GetUtcNow() };
        database.EmailFactors.Add(pending);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(pending).State = EntityState.Detached;

        var result = await SendCoreAsync(userId, EnrollmentSalt(userId, pending.Id), pending.Address, EnrollmentPurpose, cancellationToken);
        return (pending.Id, result);
    }

    /// <summary>
    /// Confirms the user's pending address with the code sent to it: it becomes the user's email factor, replacing an
    /// earlier confirmed address. False for any other code, or when nothing is pending.
    /// </summary>
    public async Task<bool> ConfirmEnrollmentAsync(string userId, string code, CancellationToken cancellationToken)
    {
        var pending = await database.EmailFactors.AsNoTracking().Where(factor => factor.UserId == userId && !factor.Confirmed)
            .OrderByDescending(factor => factor.Id).FirstOrDefaultAsync(cancellationToken);
        if (pending is null || !await VerifyCoreAsync(userId, EnrollmentSalt(userId, pending.Id), code, cancellationToken))
        {
            return false;
        }

        await using var transaction = await BeginAsync(cancellationToken);
        var confirmed = await database.EmailFactors.Where(factor => factor.Id == pending.Id && !factor.Confirmed)
            .ExecuteUpdateAsync(factor => factor.SetProperty(record => record.Confirmed, true), cancellationToken) == 1;
        if (confirmed)
        {
            await database.EmailFactors.Where(factor => factor.UserId == userId && factor.Id != pending.Id).ExecuteDeleteAsync(cancellationToken);
        }

        await CommitAsync(transaction, cancellationToken);
        return confirmed;
    }

    /// <summary>The user's confirmed email factor address, or null when the user has none.</summary>
    public Task<string?> ConfirmedAddressAsync(string userId, CancellationToken cancellationToken) =>
        database.EmailFactors.AsNoTracking().Where(factor => factor.UserId == userId && factor.Confirmed)
            .OrderByDescending(factor => factor.Id).Select(factor => (string?)factor.Address).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The text of the email: the code and how long it is valid.</summary>
    public static string MessageText(string code) =>
        string.Create(CultureInfo.InvariantCulture, $"Your sign-in code is {code}. It expires in {Lifetime.TotalMinutes} minutes.");

    private async Task<EmailSendResult> SendCoreAsync(string userId, string salt, string address, string purpose, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        var code = EmailCode.Generate();
        var now = clock.GetUtcNow();
        var expiresAt = now + Lifetime;
        await using (var transaction = await BeginAsync(cancellationToken))
        {
            await LockUserAsync(userId, cancellationToken);

            // The latest sends by id; their times are compared here because SQLite cannot compare DateTimeOffset.
            var recent = await database.EmailCodes.AsNoTracking().Where(record => record.UserId == userId)
                .OrderByDescending(record => record.Id).Take(MaxSendsPerWindow).Select(record => record.CreatedAt).ToListAsync(cancellationToken);
            var inWindow = recent.Where(createdAt => now - createdAt < SendWindow).ToList();
            if (inWindow.Count >= MaxSendsPerWindow)
            {
                return new EmailSendResult.TooManySends(inWindow.Min() + SendWindow);
            }

            await database.EmailCodes.Where(record => record.UserId == userId && record.UsedAt == null)
                .ExecuteUpdateAsync(record => record.SetProperty(value => value.UsedAt, now), cancellationToken);
            var stored = new EmailCodeRecord { UserId = userId, Hash = EmailCode.Hash(code, salt), CreatedAt = now, ExpiresAt = expiresAt };
            database.EmailCodes.Add(stored);
            await database.SaveChangesAsync(cancellationToken);
            database.Entry(stored).State = EntityState.Detached;
            await CommitAsync(transaction, cancellationToken);
        }

        await sender.SendAsync(new EmailMessage(address.Trim(), purpose, MessageText(code)), cancellationToken);
        return new EmailSendResult.Sent(expiresAt);
    }

    private async Task<bool> VerifyCoreAsync(string userId, string salt, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (EmailCode.Normalize(code) is null)
        {
            return false;
        }

        // Only the latest code sent counts, and only while unused and unexpired.
        var latest = await database.EmailCodes.AsNoTracking().Where(record => record.UserId == userId)
            .OrderByDescending(record => record.Id).FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (latest is null || latest.UsedAt is not null || now >= latest.ExpiresAt || !EmailCode.Matches(code, salt, latest.Hash))
        {
            return false;
        }

        // Two requests with the same code can both get here: only one marks it used.
        return await database.EmailCodes.Where(record => record.Id == latest.Id && record.UsedAt == null)
            .ExecuteUpdateAsync(record => record.SetProperty(value => value.UsedAt, now), cancellationToken) == 1;
    }

    private static string EnrollmentSalt(string userId, long factorId) =>
        string.Create(CultureInfo.InvariantCulture, $"{userId}:enrollment:{factorId}");

    // A write to the user's row that changes nothing holds its row lock (PostgreSQL) or the database's write lock (SQLite)
    // until the transaction ends: a concurrent send of the same user waits here, then reads the codes this one added.
    private Task LockUserAsync(string userId, CancellationToken cancellationToken) =>
        database.Users.Where(user => user.Id == userId).ExecuteUpdateAsync(user => user.SetProperty(record => record.Email, record => record.Email), cancellationToken);

    // A transaction, unless the caller already opened one.
    private async Task<IDbContextTransaction?> BeginAsync(CancellationToken cancellationToken) =>
        database.Database.CurrentTransaction is null ? await database.Database.BeginTransactionAsync(cancellationToken) : null;

    private static async Task CommitAsync(IDbContextTransaction? transaction, CancellationToken cancellationToken)
    {
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }
}

/// <summary>What became of a request to email a code: a closed set.</summary>
public abstract record EmailSendResult
{
    private EmailSendResult()
    {
    }

    /// <summary>The code was sent; it is valid until <paramref name="ExpiresAt"/>.</summary>
    public sealed record Sent(DateTimeOffset ExpiresAt) : EmailSendResult;

    /// <summary>The user had too many codes sent within the hour; nothing was sent. The next send is allowed at <paramref name="RetryAt"/>.</summary>
    public sealed record TooManySends(DateTimeOffset RetryAt) : EmailSendResult;
}
