using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RulesMfa.Engine.Factors;
using RulesMfa.Host.Storage;

namespace RulesMfa.Host.Factors.Push;

/// <summary>
/// Enrollment of a push device: the page issues a ticket (single use, <see cref="Lifetime"/>), the device enrolls its key
/// with it, and the page, seeing that, confirms the device as the user's factor. A ticket is taken atomically, so of two
/// enrollments with one ticket only the first gets a device.
/// </summary>
public sealed class PushTickets(RulesMfaDbContext database, IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>How long a ticket can be used: 5 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector protector = protection.CreateProtector(PushProtection.TotpSecret);

    /// <summary>
    /// A new ticket for the user, with the TOTP secret the device will get; the user's unused tickets and unconfirmed
    /// devices are removed, so only the latest enrollment page can add a device.
    /// </summary>
    public async Task<(long Id, string Ticket, string EnrollmentId, TotpSecret Secret)> StartAsync(string userId, string baseUrl, CancellationToken cancellationToken)
    {
        await database.Set<PushTicketRecord>().Where(record => record.UserId == userId && record.UsedAt == null).ExecuteDeleteAsync(cancellationToken);
        await RemoveUnconfirmedAsync(userId, cancellationToken);
        var ticket = PushTokens.NewToken();
        var secret = TotpSecret.Generate();
        var record = new PushTicketRecord
        {
            TicketHash = PushTokens.Hash(ticket), UserId = userId, EnrollmentId = PushTokens.NewId("dev_"),
            ProtectedTotpSecret = Convert.ToBase64String(protector.Protect(secret.GetBytes())), BaseUrl = baseUrl, ExpiresAt = clock.GetUtcNow() + Lifetime,
        };
        database.Add(record);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(record).State = EntityState.Detached;
        return (record.Id, ticket, record.EnrollmentId, secret);
    }

    /// <summary>
    /// Enrolls the device of <paramref name="request"/> (already checked) with <paramref name="ticket"/>, taking the ticket:
    /// the device and its bearer token, or why not (an unknown, used or expired ticket).
    /// </summary>
    public async Task<PushEnrollment> EnrollAsync(string tenantId, string ticket, PushEnrollRequest request, CancellationToken cancellationToken)
    {
        var hash = PushTokens.Hash(ticket);
        var found = await database.Set<PushTicketRecord>().AsNoTracking().FirstOrDefaultAsync(record => record.TicketHash == hash, cancellationToken);
        var owner = found is null ? null : await database.Users.AsNoTracking().FirstOrDefaultAsync(user => user.Id == found.UserId, cancellationToken);
        var now = clock.GetUtcNow();
        if (found is null || owner?.TenantId != tenantId)
        {
            return new PushEnrollment.Refused("This enrollment ticket is not known here.");
        }

        if (found.UsedAt is not null)
        {
            return new PushEnrollment.Refused("This enrollment ticket was already used: a ticket enrolls one device.");
        }

        if (now >= found.ExpiresAt)
        {
            return new PushEnrollment.Refused("This enrollment ticket has expired: tickets last 5 minutes. Show a new code on the enrollment page.");
        }

        // Two enrollments with one ticket can both get here: only the one that marks it used goes on.
        if (await database.Set<PushTicketRecord>().Where(record => record.Id == found.Id && record.UsedAt == null)
                .ExecuteUpdateAsync(record => record.SetProperty(value => value.UsedAt, now), cancellationToken) != 1)
        {
            return new PushEnrollment.Refused("This enrollment ticket was already used: a ticket enrolls one device.");
        }

        var token = PushTokens.NewToken();
        var device = new PushDeviceRecord
        {
            EnrollmentId = found.EnrollmentId, UserId = found.UserId, Identifier = request.Identifier!.Trim(), Name = request.Name!.Trim(),
            PublicKeyJson = JsonSerializer.Serialize(request.PublicKey), TokenHash = PushTokens.Hash(token),
            PushCredentialsJson = request.PushCredentials is null ? null : JsonSerializer.Serialize(request.PushCredentials),
            ProtectedTotpSecret = found.ProtectedTotpSecret, BaseUrl = found.BaseUrl, CreatedAt = now,
        };
        database.Add(device);
        await database.SaveChangesAsync(cancellationToken);
        database.Entry(device).State = EntityState.Detached;
        var secret = TotpSecret.FromBytes(protector.Unprotect(Convert.FromBase64String(found.ProtectedTotpSecret)));
        return new PushEnrollment.Enrolled(device, token, secret);
    }

    /// <summary>Whether a device enrolled with the user's ticket <paramref name="ticketId"/>: <c>pending</c>, <c>enrolled</c> or <c>expired</c>.</summary>
    public async Task<string> StateAsync(string userId, long ticketId, CancellationToken cancellationToken)
    {
        var ticket = await database.Set<PushTicketRecord>().AsNoTracking().FirstOrDefaultAsync(record => record.Id == ticketId && record.UserId == userId, cancellationToken);
        return ticket switch
        {
            { UsedAt: not null } => "enrolled",
            not null when clock.GetUtcNow() < ticket.ExpiresAt => "pending",
            _ => "expired",
        };
    }

    /// <summary>Whether the device enrolled with the user's ticket <paramref name="ticketId"/> is confirmed already (by another request).</summary>
    public Task<bool> ConfirmedAsync(string userId, long ticketId, CancellationToken cancellationToken) =>
        database.Set<PushTicketRecord>().AsNoTracking().Where(record => record.Id == ticketId && record.UserId == userId && record.UsedAt != null)
            .Join(database.Set<PushDeviceRecord>().Where(device => device.UserId == userId && device.Confirmed), ticket => ticket.EnrollmentId, device => device.EnrollmentId,
                (ticket, device) => device.Id)
            .AnyAsync(cancellationToken);

    /// <summary>
    /// Makes the device enrolled with the user's ticket <paramref name="ticketId"/> the user's push device (replacing an
    /// earlier one); false when no device enrolled with it, or it was already confirmed.
    /// </summary>
    public async Task<bool> ConfirmAsync(string userId, long ticketId, CancellationToken cancellationToken)
    {
        var enrollmentId = await database.Set<PushTicketRecord>().AsNoTracking().Where(record => record.Id == ticketId && record.UserId == userId && record.UsedAt != null)
            .Select(record => record.EnrollmentId).FirstOrDefaultAsync(cancellationToken);
        if (enrollmentId is null)
        {
            return false;
        }

        await using var transaction = await database.Database.BeginTransactionAsync(cancellationToken);
        var confirmed = await database.Set<PushDeviceRecord>().Where(record => record.EnrollmentId == enrollmentId && record.UserId == userId && !record.Confirmed)
            .ExecuteUpdateAsync(record => record.SetProperty(value => value.Confirmed, true), cancellationToken) == 1;
        if (confirmed)
        {
            var replaced = database.Set<PushDeviceRecord>().Where(record => record.UserId == userId && record.EnrollmentId != enrollmentId).Select(record => record.Id);
            await database.Set<PushTransactionRecord>().Where(record => replaced.Contains(record.DeviceId)).ExecuteDeleteAsync(cancellationToken);
            await database.Set<PushDeviceRecord>().Where(record => record.UserId == userId && record.EnrollmentId != enrollmentId).ExecuteDeleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return confirmed;
    }

    private async Task RemoveUnconfirmedAsync(string userId, CancellationToken cancellationToken)
    {
        var unconfirmed = database.Set<PushDeviceRecord>().Where(record => record.UserId == userId && !record.Confirmed).Select(record => record.Id);
        await database.Set<PushTransactionRecord>().Where(record => unconfirmed.Contains(record.DeviceId)).ExecuteDeleteAsync(cancellationToken);
        await database.Set<PushDeviceRecord>().Where(record => record.UserId == userId && !record.Confirmed).ExecuteDeleteAsync(cancellationToken);
    }
}
